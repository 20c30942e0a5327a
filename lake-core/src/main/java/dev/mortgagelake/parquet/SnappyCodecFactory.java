package dev.mortgagelake.parquet;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A Parquet codec factory for {@code SNAPPY} and {@code UNCOMPRESSED} pages backed directly by
 * snappy-java. Parquet's default factory instantiates Hadoop codec classes; this one loads no Hadoop
 * class, which keeps the lake's Parquet writing Hadoop-free. Stateless and thread-safe.
 */
public final class SnappyCodecFactory implements CompressionCodecFactory {

    private static final SnappyCodecFactory INSTANCE = new SnappyCodecFactory();

    private SnappyCodecFactory() {
    }

    public static SnappyCodecFactory instance() {
        return INSTANCE;
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return switch (codec) {
            case SNAPPY -> new SnappyCompressor();
            case UNCOMPRESSED -> new NoCompressor();
            default -> throw unsupported(codec);
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return switch (codec) {
            case SNAPPY -> new SnappyDecompressor();
            case UNCOMPRESSED -> new NoDecompressor();
            default -> throw unsupported(codec);
        };
    }

    @Override
    public void release() {
        // Stateless: nothing is pooled.
    }

    private static IllegalArgumentException unsupported(CompressionCodecName codec) {
        return new IllegalArgumentException("Codec " + codec + " is not available without Hadoop; use SNAPPY or UNCOMPRESSED");
    }

    private static final class SnappyCompressor implements BytesInputCompressor {
        @Override
        public BytesInput compress(BytesInput bytes) throws IOException {
            byte[] input = bytes.toByteArray();
            byte[] output = new byte[Snappy.maxCompressedLength(input.length)];
            int written = Snappy.compress(input, 0, input.length, output, 0);
            return BytesInput.from(output, 0, written);
        }

        @Override
        public CompressionCodecName getCodecName() {
            return CompressionCodecName.SNAPPY;
        }

        @Override
        public void release() {
            // Nothing held between calls.
        }
    }

    private static final class NoCompressor implements BytesInputCompressor {
        @Override
        public BytesInput compress(BytesInput bytes) {
            return bytes;
        }

        @Override
        public CompressionCodecName getCodecName() {
            return CompressionCodecName.UNCOMPRESSED;
        }

        @Override
        public void release() {
            // Nothing held between calls.
        }
    }

    private static final class SnappyDecompressor implements BytesInputDecompressor {
        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
            byte[] input = bytes.toByteArray();
            byte[] output = new byte[uncompressedSize];
            int written = Snappy.uncompress(input, 0, input.length, output, 0);
            if (written != uncompressedSize) {
                throw new IOException("Snappy page decompressed to " + written + " bytes, expected " + uncompressedSize);
            }
            return BytesInput.from(output);
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize) throws IOException {
            byte[] compressed = new byte[compressedSize];
            input.get(compressed);
            byte[] plain = decompress(BytesInput.from(compressed), uncompressedSize).toByteArray();
            output.put(plain);
        }

        @Override
        public void release() {
            // Nothing held between calls.
        }
    }

    private static final class NoDecompressor implements BytesInputDecompressor {
        @Override
        public BytesInput decompress(BytesInput bytes, int uncompressedSize) {
            return bytes;
        }

        @Override
        public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize) {
            ByteBuffer slice = input.slice();
            slice.limit(compressedSize);
            output.put(slice);
            input.position(input.position() + compressedSize);
        }

        @Override
        public void release() {
            // Nothing held between calls.
        }
    }
}
