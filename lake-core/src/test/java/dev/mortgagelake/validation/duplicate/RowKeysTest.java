package dev.mortgagelake.validation.duplicate;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RowKeysTest {

    /** The keys are stored in the published index: the one-pass computation must give exactly the stored values. */
    @Test
    void theOnePassKeysEqualTheSeparateHashesForIdsOfEveryLength() {
        Random random = new Random(11);
        RowKeys.Keys keys = new RowKeys.Keys();
        for (int i = 0; i < 5_000; i++) {
            StringBuilder id = new StringBuilder();
            int length = random.nextInt(40);
            for (int c = 0; c < length; c++) {
                id.append(random.nextInt(8) == 0 ? (char) (0x00C0 + random.nextInt(0x2000)) : (char) ('0' + random.nextInt(75)));
            }
            String customer = "C" + random.nextInt(1_000_000);
            long cents = random.nextLong();
            long micros = random.nextLong();
            keys.of(id.toString(), customer, cents, "EUR", micros);
            assertThat(keys.h1()).isEqualTo(RowKeys.idHash1(id.toString()));
            assertThat(keys.h2()).isEqualTo(RowKeys.idHash2(id.toString()));
            assertThat(keys.fingerprint()).isEqualTo(RowKeys.contentFingerprint(id.toString(), customer, cents, "EUR", micros));
        }
    }

    @Test
    void theHashesOfAnIdAreStableAcrossReleases() {
        // Values written into published index shards: a change here breaks duplicate detection against existing Silver.
        assertThat(Long.toHexString(RowKeys.idHash1("TX000001"))).isEqualTo(EXPECTED_H1);
        assertThat(Long.toHexString(RowKeys.idHash2("TX000001"))).isEqualTo(EXPECTED_H2);
    }

    private static final String EXPECTED_H1 = "927b03f032483ba0";
    private static final String EXPECTED_H2 = "c9901cb056a7f335";
}
