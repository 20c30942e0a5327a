package dev.mortgagelake.gold;

import dev.mortgagelake.publish.RunPromotion;
import dev.mortgagelake.publish.audit.AuditPolicy;
import dev.mortgagelake.publish.table.LatestPointer;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.validation.silver.SilverSchemaV1;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.mortgagelake.gold.GoldTestLake.CLOCK;
import static dev.mortgagelake.gold.GoldTestLake.FAST;
import static dev.mortgagelake.gold.GoldTestLake.LAYOUT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link GoldRefresh} as the Silver listener of {@link RunPromotion}: Gold published, each Gold
 * {@code current/} equal to its snapshot before its pointer names it, and a Silver rollback
 * recomputing the affected Gold months from the rolled-back Silver state.
 */
class GoldRefreshTest {

    @TempDir
    Path dir;

    @Test
    void aSilverRollbackRecomputesTheAffectedGoldMonthsAndCurrentFollows() {
        GoldTestLake lake = new GoldTestLake(dir);
        List<GoldRefresh.Refresh> seen = new ArrayList<>();
        GoldRefresh refresh = new GoldRefresh(lake.store, LAYOUT, lake.publisher(), seen::add);
        RunPromotion promotion = new RunPromotion(lake.store, LAYOUT, SilverSchemaV1.SCHEMA_VERSION, FAST, AuditPolicy.DISABLED, refresh,
                CLOCK);

        refresh.refresh(lake.appendRun(GoldPublisherTest.firstQuarter()));
        TableSnapshot keep = lake.appendRun(GoldPublisherTest.mayAndJuly());
        refresh.refresh(keep);
        TableSnapshot corrected = lake.appendRun(GoldPublisherTest.mayCorrection());
        GoldRefresh.Refresh beforeRollback = refresh.refresh(corrected);
        assertThat(beforeRollback.failed()).isFalse();
        assertCurrentAndPointersFollowGold(lake, refresh, corrected);
        Map<GoldDataset, TableSnapshot> goldBefore = lake.currentGold(refresh.publisher());
        List<String> mayBalancesCorrected = may(lake.gold(goldBefore).get(GoldDataset.ACCOUNT_BALANCES));

        RunPromotion.RollbackResult rolledBack = promotion.rollback(keep.version(), corrected.version(), "fiona", "wrong May correction");

        TableSnapshot silver = rolledBack.snapshot();
        assertThat(silver.summary().changedPartitions()).containsExactly("2024-05");
        GoldRefresh.Refresh last = seen.get(seen.size() - 1);
        assertThat(last.silverVersion()).isEqualTo(silver.version());
        assertThat(last.status()).isEqualTo(GoldPublication.Status.PUBLISHED);
        assertThat(last.failed()).isFalse();
        Map<GoldDataset, TableSnapshot> gold = lake.currentGold(refresh.publisher());
        for (TableSnapshot snapshot : gold.values()) {
            assertThat(snapshot.source().version()).isEqualTo(silver.version());
        }
        // recomputed, not rolled back: the Gold rows are those of the rolled-back Silver state ...
        Map<GoldDataset, List<String>> rows = lake.gold(gold);
        assertThat(rows).isEqualTo(lake.expected(silver));
        assertThat(may(rows.get(GoldDataset.ACCOUNT_BALANCES))).isNotEqualTo(mayBalancesCorrected);
        // ... months before the rolled-back one keep their Gold files
        for (GoldDataset dataset : GoldDataset.values()) {
            assertThat(gold.get(dataset).partitions().headMap("2024-05")).isEqualTo(goldBefore.get(dataset).partitions().headMap("2024-05"));
        }
        assertCurrentAndPointersFollowGold(lake, refresh, silver);
    }

    @Test
    void aGoldFailureNeverUndoesTheSilverVersionAndTheCatchUpRepairsIt() {
        GoldTestLake lake = new GoldTestLake(dir);
        List<GoldRefresh.Refresh> seen = new ArrayList<>();
        // a work directory that cannot be created: every Gold publish fails
        Path blocked = dir.resolve("blocked");
        GoldRefresh broken = new GoldRefresh(lake.store, LAYOUT,
                new GoldPublisher(lake.store, LAYOUT, FAST, CLOCK, blocked.resolve("sub")), seen::add);
        writeFile(blocked);

        TableSnapshot silver = lake.appendRun(GoldPublisherTest.firstQuarter());
        broken.committed(silver);

        assertThat(seen).singleElement().satisfies(r -> assertThat(r.failures()).containsKey("publish"));
        assertThat(lake.silverLog.latestVersion()).isEqualTo(silver.version());
        assertThat(broken.versionsFor(silver.version())).isEmpty();

        GoldRefresh healthy = new GoldRefresh(lake.store, LAYOUT, lake.publisher(), GoldRefresh.Observer.NONE);
        GoldRefresh.Refresh caughtUp = healthy.catchUp();

        assertThat(caughtUp.failed()).isFalse();
        assertThat(caughtUp.silverVersion()).isEqualTo(silver.version());
        assertCurrentAndPointersFollowGold(lake, healthy, silver);
        assertThat(lake.gold(lake.currentGold(healthy.publisher()))).isEqualTo(lake.expected(silver));
    }

    private static void assertCurrentAndPointersFollowGold(GoldTestLake lake, GoldRefresh refresh, TableSnapshot silver) {
        Map<GoldDataset, TableSnapshot> gold = lake.currentGold(refresh.publisher());
        for (GoldDataset dataset : GoldDataset.values()) {
            TableSnapshot snapshot = gold.get(dataset);
            assertThat(refresh.reconciler(dataset).mirror().matches(snapshot)).as("current/ of %s", dataset).isTrue();
            LatestPointer pointer = refresh.publisher().pointer(dataset).read().orElseThrow();
            assertThat(pointer.tableVersion()).isEqualTo(snapshot.version());
        }
        assertThat(refresh.versionsFor(silver.version())).containsOnlyKeys("account_balances", "monthly_reports", "transaction_summaries");
        gold.forEach((dataset, snapshot) ->
                assertThat(refresh.versionsFor(silver.version())).containsEntry(dataset.tableName(), snapshot.version()));
    }

    private static List<String> may(List<String> rows) {
        return rows.stream().filter(row -> row.startsWith("2024-05|")).toList();
    }

    private static void writeFile(Path path) {
        try {
            java.nio.file.Files.writeString(path, "not a directory");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
