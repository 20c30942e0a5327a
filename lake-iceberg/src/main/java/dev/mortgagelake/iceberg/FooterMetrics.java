package dev.mortgagelake.iceberg;

import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.SeekableInputStream;
import org.apache.iceberg.mapping.NameMapping;
import org.apache.iceberg.parquet.ParquetUtil;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * Column metrics of one of the lake's Parquet files (value counts, null counts, lower and upper
 * bounds per column), read from its footer with two ranged reads: the last 8 bytes, then the footer.
 * No Hadoop, and never the data pages. Engines prune files with these metrics.
 */
final class FooterMetrics {

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final int TAIL = 8;

    private FooterMetrics() {
    }

    /**
     * @throws UncheckedIOException if the object cannot be read or is not Parquet
     */
    static Metrics of(InputFile file, MetricsConfig config, NameMapping mapping) {
        return ParquetUtil.footerMetrics(footer(file), Stream.empty(), config, mapping);
    }

    static ParquetMetadata footer(InputFile file) {
        long length = file.getLength();
        if (length < MAGIC.length + TAIL) {
            throw new UncheckedIOException(new IOException(file.location() + " is not Parquet: " + length + " bytes"));
        }
        try (SeekableInputStream in = file.newStream()) {
            in.seek(length - TAIL);
            byte[] tail = readFully(in, TAIL);
            if (!Arrays.equals(Arrays.copyOfRange(tail, 4, 8), MAGIC)) {
                throw new IOException(file.location() + " is not Parquet: no PAR1 at its end");
            }
            int footerLength = ByteBuffer.wrap(tail, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (footerLength <= 0 || footerLength > length - TAIL - MAGIC.length) {
                throw new IOException(file.location() + " has an impossible footer length " + footerLength);
            }
            in.seek(length - TAIL - footerLength);
            byte[] footer = readFully(in, footerLength);
            return new ParquetMetadataConverter().readParquetMetadata(new ByteArrayInputStream(footer),
                    ParquetMetadataConverter.NO_FILTER);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the Parquet footer of " + file.location() + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readFully(SeekableInputStream in, int length) throws IOException {
        byte[] bytes = new byte[length];
        int read = 0;
        while (read < length) {
            int n = in.read(bytes, read, length - read);
            if (n < 0) {
                throw new IOException("unexpected end of object after " + read + " of " + length + " bytes");
            }
            read += n;
        }
        return bytes;
    }
}
