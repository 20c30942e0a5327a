package dev.mortgagelake.validation;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.SequenceInputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadAheadReaderTest {

    private static ReadAheadReader reader(InputStream bytes) {
        return new ReadAheadReader(bytes, StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT), "test-read-ahead");
    }

    private static String readAll(Reader reader, int bufferChars) throws IOException {
        StringBuilder out = new StringBuilder();
        char[] buffer = new char[bufferChars];
        for (int n; (n = reader.read(buffer, 0, buffer.length)) >= 0; ) {
            out.append(buffer, 0, n);
        }
        return out.toString();
    }

    @Test
    void deliversExactlyTheDecodedCharactersAcrossManyChunks() throws IOException {
        Random random = new Random(3);
        StringBuilder text = new StringBuilder();
        while (text.length() < ReadAheadReader.CHUNK_CHARS * 9 + 17) {
            text.append(random.nextInt(5) == 0 ? "é€😀" : "TX" + random.nextInt(1000) + ",").append(random.nextInt(7) == 0 ? "\n" : "");
        }
        try (ReadAheadReader reader = reader(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)))) {
            assertThat(readAll(reader, 1000)).isEqualTo(text.toString());
            assertThat(reader.read(new char[10], 0, 10)).isEqualTo(-1);
        }
    }

    @Test
    void aDecodingFaultArrivesAfterTheCharactersBeforeIt() throws IOException {
        byte[] good = "a".repeat(ReadAheadReader.CHUNK_CHARS * 2 + 5).getBytes(StandardCharsets.US_ASCII);
        InputStream bytes = new SequenceInputStream(new ByteArrayInputStream(good), new ByteArrayInputStream(new byte[] {(byte) 0xC3, 0x28}));
        try (ReadAheadReader reader = reader(bytes)) {
            char[] buffer = new char[good.length];
            int read = 0;
            while (read < good.length) {
                read += reader.read(buffer, read, good.length - read);
            }
            assertThat(new String(buffer)).isEqualTo(new String(good, StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> reader.read(new char[10], 0, 10)).isInstanceOf(CharacterCodingException.class);
        }
    }

    @Test
    void closingEarlyStopsTheReadAheadFromReadingFurther() throws Exception {
        AtomicLong served = new AtomicLong();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                served.incrementAndGet();
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                served.addAndGet(len);
                return len;
            }
        };
        String threadName = "read-ahead-" + java.util.UUID.randomUUID();
        ReadAheadReader reader = new ReadAheadReader(endless, StandardCharsets.UTF_8.newDecoder(), threadName);
        assertThat(reader.read(new char[100], 0, 100)).isEqualTo(100);
        Thread readAhead = threadNamed(threadName);
        assertThat(readAhead.isAlive()).as("the read-ahead thread runs while the reader is open").isTrue();

        reader.close();

        // close() joined the thread: it has terminated now, with no waiting, so nothing reads any more.
        assertThat(readAhead.getState()).isEqualTo(Thread.State.TERMINATED);
        long afterClose = served.get();
        assertThat(served.get()).isEqualTo(afterClose);
        assertThatThrownBy(() -> reader.read(new char[1], 0, 1)).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    private static Thread threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("No thread named " + name));
    }
}
