package dev.mortgagelake.service.publish;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mortgagelake.event.EventCodec;
import dev.mortgagelake.event.EventFixtures;
import dev.mortgagelake.event.EventType;
import dev.mortgagelake.event.FileLanded;
import dev.mortgagelake.event.LakeEvent;
import dev.mortgagelake.event.LakeEvents;
import dev.mortgagelake.event.RunPromoted;
import dev.mortgagelake.event.RunValidated;
import dev.mortgagelake.gold.GoldDataset;
import dev.mortgagelake.gold.GoldRefresh;
import dev.mortgagelake.iceberg.IcebergCatalogTables;
import dev.mortgagelake.publish.table.CatalogTables;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.layout.RunId;
import dev.mortgagelake.publish.RunPromotion;
import dev.mortgagelake.publish.table.LatestPointer;
import dev.mortgagelake.publish.table.TableSnapshot;
import dev.mortgagelake.storage.Location;
import dev.mortgagelake.storage.StoredObject;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.testing.EmbeddedS3Resource;
import dev.mortgagelake.testing.EmbeddedSqsResource;
import dev.mortgagelake.testing.PoisonMessages;
import dev.mortgagelake.testing.QueueProbe;
import dev.mortgagelake.testing.TestLake;
import dev.mortgagelake.validation.RunValidator;
import dev.mortgagelake.validation.ValidationConfig;
import dev.mortgagelake.validation.contract.CommonIsoCurrencies;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(EmbeddedS3Resource.class)
@QuarkusTestResource(EmbeddedSqsResource.class)
class PublishServiceTest {

    private static final String CSV = """
            TransactionID,CustomerID,TransactionAmount,Currency,TransactionTimestamp
            {run}-T1,C1,100.50,EUR,2026-01-02T10:00:00Z
            {run}-T2,C2,-20.00,USD,2026-02-01T10:00:00Z
            {run}-T3,C2,7.5,GBP,2026-02-03T10:00:00Z
            """;

    @Inject
    RunPromotion promotion;

    @Inject
    GoldRefresh gold;

    @Inject
    CatalogTables iceberg;

    @TempDir
    Path work;

    private final ObjectStore store = TestLake.objectStore();
    private final LakeLayout layout = new LakeLayout(TestLake.BUCKETS);

    @Test
    void aValidRunIsCommittedAsTheNextVersionNamedByLatestAndAnnounced() throws Exception {
        RunValidated run = validatedRun();
        long before = promotion.log().latestVersion();

        QueueProbe.send(TestLake.QUEUES.runValidatedForPublish(), EventCodec.encode(event(run)));
        RunPromoted promoted = awaitRunPromoted(run.runId());

        assertThat(promoted.tableVersion()).isGreaterThan(before);
        assertThat(promoted.partitions()).containsExactly("2026-01", "2026-02");
        assertThat(promoted.rows()).isEqualTo(3);
        TableSnapshot snapshot = promotion.log().read(promoted.tableVersion());
        assertThat(snapshot.containsRun(run.runId())).isTrue();
        assertThat(snapshot.filesOf(run.runId()).values().stream().flatMap(List::stream).mapToLong(f -> f.rows()).sum()).isEqualTo(3);

        JsonNode latest = readJson(promoted.latest());
        assertThat(latest.get("table_version").asLong()).isGreaterThanOrEqualTo(promoted.tableVersion());
        assertThat(latest.get("schema_version").asText()).isEqualTo("v1");
        assertThat(latest.get("partition_path").asText()).isEqualTo("silver/mortgages/transactions/");
        assertThat(latest.has("published_at")).isTrue();

        // the Iceberg table follows: the event and the pointer name the Iceberg snapshot of the version
        assertThat(promoted.icebergSnapshotId()).isNotNull();
        assertThat(promoted.icebergMetadataLocation()).startsWith("s3://" + TestLake.BUCKETS.silver() + "/"
                + layout.silverTableRoot("v1") + "_iceberg/metadata/");
        Table table = ((IcebergCatalogTables) iceberg).catalog().loadTable(TableIdentifier.of("mortgage_lake", "silver_transactions"));
        Snapshot icebergSnapshot = table.snapshot(promoted.icebergSnapshotId());
        assertThat(icebergSnapshot.summary()).containsEntry("lake.table-version", Long.toString(promoted.tableVersion()));
        if (latest.get("table_version").asLong() == promoted.tableVersion()) {
            assertThat(latest.get("iceberg_snapshot_id").asLong()).isEqualTo(promoted.icebergSnapshotId());
        }
    }

    @Test
    void aPromotedRunIsAnnouncedAfterTheThreeGoldDatasetsArePublishedWithTheirCurrentCopies() throws Exception {
        RunValidated run = validatedRun();

        QueueProbe.send(TestLake.QUEUES.runValidatedForPublish(), EventCodec.encode(event(run)));
        RunPromoted promoted = awaitRunPromoted(run.runId());

        assertThat(promoted.gold()).containsOnlyKeys("account_balances", "monthly_reports", "transaction_summaries");
        for (GoldDataset dataset : GoldDataset.values()) {
            long version = promoted.gold().get(dataset.tableName());
            TableSnapshot snapshot = gold.publisher().log(dataset).read(version);
            assertThat(snapshot.source().version()).as("%s source", dataset).isEqualTo(promoted.tableVersion());
            assertThat(snapshot.partitions()).as("%s months", dataset).containsKeys("2026-01", "2026-02");
            // _LATEST.json exists and names the newest Gold version, whose files current/ holds exactly
            TableSnapshot newest = gold.publisher().log(dataset).current();
            LatestPointer pointer = gold.publisher().pointer(dataset).read().orElseThrow();
            assertThat(store.head(gold.publisher().pointer(dataset).location())).isPresent();
            assertThat(pointer.tableVersion()).isEqualTo(newest.version()).isGreaterThanOrEqualTo(version);
            assertThat(gold.currentMatches(dataset, newest)).as("%s current/", dataset).isTrue();
            assertThat(store.list(TestLake.BUCKETS.gold(), gold.currentPrefix(dataset) + "as_of_month=2026-01/"))
                    .isNotEmpty();
        }
    }

    @Test
    void runValidatedDeliveredTwiceMakesOneVersion() throws Exception {
        RunValidated run = validatedRun();
        String body = EventCodec.encode(event(run));

        QueueProbe.send(TestLake.QUEUES.runValidatedForPublish(), body);
        RunPromoted first = awaitRunPromoted(run.runId());
        long versionsAfterFirst = promotion.log().versions().size();
        QueueProbe.send(TestLake.QUEUES.runValidatedForPublish(), body);
        RunPromoted second = awaitRunPromoted(run.runId());

        assertThat(second.tableVersion()).isEqualTo(first.tableVersion());
        assertThat(promotion.log().versions()).hasSize((int) versionsAfterFirst);
    }

    @Test
    void aRunWhoseFilesDoNotMatchItsManifestIsHeldAndNotPromoted() throws Exception {
        RunValidated run = validatedRun();
        Location part = new Location(TestLake.SILVER_BUCKET,
                layout.silverPartitionPrefix(java.time.YearMonth.of(2026, 1), "v1", RunId.of(run.runId())) + "part-00000.parquet");
        store.replace(part, "tampered".getBytes(StandardCharsets.UTF_8), "application/octet-stream");

        QueueProbe.send(TestLake.QUEUES.runValidatedForPublish(), EventCodec.encode(event(run)));

        Location held = promotion.heldRecord(run.runId());
        await("the held record " + held).atMost(Duration.ofSeconds(30)).until(() -> store.head(held).isPresent());
        assertThat(readJson(held).get("reasons").toString()).contains("FILE_");
        assertThat(promotion.log().current().containsRun(run.runId())).isFalse();
        assertThat(QueueProbe.take(TestLake.QUEUES.runPromoted(), b -> b.contains(run.runId()), Duration.ofSeconds(2))).isEmpty();
    }

    /**
     * Poison messages reach the dead-letter queue after a bounded number of receives, counted by reason;
     * a well-formed run-validated naming a run that is not in Silver is not poison but held with the
     * reason; the run behind them all is promoted.
     */
    @Test
    void poisonMessagesAreDeadLetteredARunMissingFromSilverIsHeldAndTheRunBehindThemIsPromoted() throws Exception {
        String queue = TestLake.QUEUES.runValidatedForPublish();
        String marker = "poison-" + java.util.UUID.randomUUID();
        RunValidated absent = validatedRun();
        for (StoredObject object : store.list(TestLake.SILVER_BUCKET, "silver/")) {
            if (object.location().key().contains(absent.runId())) {
                store.delete(object.location());
            }
        }

        QueueProbe.send(queue, PoisonMessages.notJson(marker + "-not-json"));
        QueueProbe.send(queue, PoisonMessages.unknownType(marker + "-unknown"));
        QueueProbe.send(queue, PoisonMessages.newerVersion(EventType.RUN_VALIDATED, marker + "-newer"));
        QueueProbe.send(queue, EventCodec.encode(event(absent)));
        RunValidated behind = validatedRun();
        QueueProbe.send(queue, EventCodec.encode(event(behind)));

        assertThat(awaitRunPromoted(behind.runId()).rows()).isEqualTo(3);
        assertThat(PoisonMessages.awaitDeadLettered(queue, marker + "-not-json", Duration.ofSeconds(60))).contains("not an event");
        assertThat(PoisonMessages.awaitDeadLettered(queue, marker + "-unknown", Duration.ofSeconds(60))).contains("invoice-paid.v1");
        assertThat(PoisonMessages.awaitDeadLettered(queue, marker + "-newer", Duration.ofSeconds(60))).contains("run-validated.v2");
        Location held = promotion.heldRecord(absent.runId());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> store.head(held).isPresent());
        assertThat(readJson(held).get("reasons").toString()).contains("_MISSING");
        assertThat(promotion.log().current().containsRun(absent.runId())).isFalse();

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String reason : new String[] {"not_json", "unknown_type", "newer_version"}) {
            assertThat(metrics).contains("lake_poison_messages_total{channel=\"run-validated\",reason=\"" + reason
                    + "\",service=\"publish-service\"}");
        }
    }

    /** A real validated run: the CSV in Bronze, validated by the validation domain into the test lake. */
    private RunValidated validatedRun() throws Exception {
        Instant now = Instant.now();
        RunId runId = RunId.newRun(now);
        // transaction ids are unique per run: a later run repeating them would be a duplicate of published rows
        byte[] content = CSV.replace("{run}", runId.value()).getBytes(StandardCharsets.UTF_8);
        LocalDate ingestDate = LocalDate.ofInstant(now, ZoneOffset.UTC);
        Location bronze = layout.bronzeFile(ingestDate, runId, "t.csv");
        store.create(bronze, content, "text/csv");
        FileLanded landed = new FileLanded(runId.value(), "mortgages/transactions", "v1", FileLanded.KIND_INGEST, ingestDate,
                new Location(TestLake.LANDING_BUCKET, "incoming/t.csv"), bronze,
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)), content.length, now, List.of());
        return new RunValidator(store, layout, Clock.systemUTC(), CommonIsoCurrencies.instance(), work, ValidationConfig.DEFAULT)
                .validate(landed);
    }

    private static LakeEvent<RunValidated> event(RunValidated run) {
        return LakeEvents.runValidated(run);
    }

    private static RunPromoted awaitRunPromoted(String runId) {
        String body = QueueProbe.await(TestLake.QUEUES.runPromoted(), b -> b.contains("\"subject\":\"" + runId + "\""),
                Duration.ofSeconds(60));
        return (RunPromoted) EventFixtures.assertConformsToFixture(body, EventType.RUN_PROMOTED).data();
    }

    private JsonNode readJson(Location location) throws Exception {
        return EventCodec.mapper().readTree(store.read(location));
    }
}
