package dev.mortgagelake.parquet;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnappyCodecFactoryTest {

    private static final byte[] PAGE = "mortgage ".repeat(500).getBytes(StandardCharsets.UTF_8);

    @Test
    void snappyRoundTrips() throws Exception {
        SnappyCodecFactory codecs = SnappyCodecFactory.instance();
        CompressionCodecFactory.BytesInputCompressor compressor = codecs.getCompressor(CompressionCodecName.SNAPPY);
        byte[] compressed = compressor.compress(BytesInput.from(PAGE)).toByteArray();

        assertThat(compressor.getCodecName()).isEqualTo(CompressionCodecName.SNAPPY);
        assertThat(compressed.length).isLessThan(PAGE.length / 10);
        CompressionCodecFactory.BytesInputDecompressor decompressor = codecs.getDecompressor(CompressionCodecName.SNAPPY);
        assertThat(decompressor.decompress(BytesInput.from(compressed), PAGE.length).toByteArray()).isEqualTo(PAGE);
        ByteBuffer output = ByteBuffer.allocate(PAGE.length);
        decompressor.decompress(ByteBuffer.wrap(compressed), compressed.length, output, PAGE.length);
        assertThat(output.array()).isEqualTo(PAGE);
    }

    @Test
    void uncompressedPassesThrough() throws Exception {
        SnappyCodecFactory codecs = SnappyCodecFactory.instance();
        assertThat(codecs.getCompressor(CompressionCodecName.UNCOMPRESSED).compress(BytesInput.from(PAGE)).toByteArray()).isEqualTo(PAGE);
        ByteBuffer output = ByteBuffer.allocate(PAGE.length);
        codecs.getDecompressor(CompressionCodecName.UNCOMPRESSED).decompress(ByteBuffer.wrap(PAGE), PAGE.length, output, PAGE.length);
        assertThat(output.array()).isEqualTo(PAGE);
    }

    @Test
    void codecsThatNeedHadoopAreRefused() {
        assertThatThrownBy(() -> SnappyCodecFactory.instance().getCompressor(CompressionCodecName.GZIP))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GZIP");
    }
}
