package dev.mortgagelake.quarkus;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Registers for reflection, in a native image, what Jackson (through {@code EventCodec.mapper()}) reads
 * and writes and Quarkus cannot see: lake-core is a plain library without a Jandex index, so its records
 * and enums are invisible to the Jackson extension's own registration. Without this, a native service
 * would fail at run time on the first event, manifest, snapshot, pointer, ledger entry or held-run
 * decision it decodes.
 *
 * <p>Rule, enforced by {@code NativeReflectionTest}: every record and every enum of lake-core's packages
 * {@code dev.mortgagelake.event}, {@code gold}, {@code ingest}, {@code manifest}, {@code publish},
 * {@code retry} and {@code validation} (with their sub-packages; top-level and nested) is listed here,
 * so a new serialised record cannot be forgotten. Registering a few in-memory records as well costs a
 * little image size and nothing else. Non-public nested types are named in {@code classNames}.
 *
 * <p>Also registered: {@code org.apache.parquet.ParquetReadOptions}, whose package-private constructor
 * lake-core's {@code HadoopFreeReadOptions} reaches through a private method-handle lookup. Avro is
 * used through {@code GenericData.Record} with explicit schemas only (no reflect or specific data), so
 * it needs no registration of the lake's classes. Nothing has been built natively here (no GraalVM): the
 * libraries' own needs (AWS SDK, parquet, Hadoop-free codecs) are unverified.
 */
@RegisterForReflection(targets = {
        dev.mortgagelake.event.EventType.class,
        dev.mortgagelake.event.InvalidEventException.Reason.class,
        dev.mortgagelake.event.FileLanded.class,
        dev.mortgagelake.event.LakeEvent.class,
        dev.mortgagelake.event.RetryDue.class,
        dev.mortgagelake.event.RunPromoted.class,
        dev.mortgagelake.event.RunValidated.class,
        dev.mortgagelake.event.RunValidated.CondemnedBatch.class,
        dev.mortgagelake.event.RunValidated.Counts.class,
        dev.mortgagelake.event.RunValidated.Drift.class,
        dev.mortgagelake.event.RunValidated.Outcome.class,
        dev.mortgagelake.event.RunValidated.FileRejection.class,
        dev.mortgagelake.event.RunValidated.Partition.class,
        dev.mortgagelake.event.RunValidated.QuarantineBatch.class,
        dev.mortgagelake.event.RunValidated.RetryOf.class,
        dev.mortgagelake.gold.AccountBalance.class,
        dev.mortgagelake.gold.GoldDataset.class,
        dev.mortgagelake.gold.GoldMonth.class,
        dev.mortgagelake.gold.GoldPublication.class,
        dev.mortgagelake.gold.GoldPublication.Dataset.class,
        dev.mortgagelake.gold.GoldPublication.Status.class,
        dev.mortgagelake.gold.GoldRefresh.Refresh.class,
        dev.mortgagelake.gold.MonthlyReport.class,
        dev.mortgagelake.gold.SilverTransaction.class,
        dev.mortgagelake.gold.TransactionSummary.class,
        dev.mortgagelake.ingest.ContentClaim.class,
        dev.mortgagelake.ingest.DuplicateLanding.class,
        dev.mortgagelake.ingest.IngestOutcome.class,
        dev.mortgagelake.ingest.IngestOutcome.Kind.class,
        dev.mortgagelake.ingest.LandingIngest.HandledLanding.class,
        dev.mortgagelake.ingest.backfill.Backfill.Lineage.class,
        dev.mortgagelake.ingest.backfill.Backfill.Outcome.class,
        dev.mortgagelake.ingest.backfill.BackfillRecord.class,
        dev.mortgagelake.ingest.backfill.BackfillRecord.Run.class,
        dev.mortgagelake.ingest.backfill.BackfillRejectedException.Kind.class,
        dev.mortgagelake.ingest.backfill.BackfillRequest.class,
        dev.mortgagelake.ingest.notification.LandedObject.class,
        dev.mortgagelake.manifest.PartitionManifest.class,
        dev.mortgagelake.manifest.PartitionManifest.FileEntry.class,
        dev.mortgagelake.manifest.PartitionManifest.Input.class,
        dev.mortgagelake.publish.HeldRun.class,
        dev.mortgagelake.publish.HeldRunDecision.class,
        dev.mortgagelake.publish.HeldRunDecision.Outcome.class,
        dev.mortgagelake.publish.HeldRuns.Entry.class,
        dev.mortgagelake.publish.OperatorRequestException.Kind.class,
        dev.mortgagelake.publish.RunPromotion.Decision.class,
        dev.mortgagelake.publish.RunPromotion.RollbackResult.class,
        dev.mortgagelake.publish.RunPromotion.Status.class,
        dev.mortgagelake.publish.audit.AuditPolicy.class,
        dev.mortgagelake.publish.check.CheckCode.class,
        dev.mortgagelake.publish.check.CheckFailure.class,
        dev.mortgagelake.publish.check.ManifestReading.class,
        dev.mortgagelake.publish.check.ManifestReading.ManifestFile.class,
        dev.mortgagelake.publish.check.PromotionCheckResult.class,
        dev.mortgagelake.publish.current.CurrentLayout.class,
        dev.mortgagelake.publish.current.CurrentMirror.SyncReport.class,
        dev.mortgagelake.publish.current.CurrentReconciler.Reconciliation.class,
        dev.mortgagelake.publish.table.CommitPolicy.class,
        dev.mortgagelake.publish.table.CommitResult.class,
        dev.mortgagelake.publish.table.DataFile.class,
        dev.mortgagelake.publish.table.HistoryEntry.class,
        dev.mortgagelake.publish.table.LatestPointer.class,
        dev.mortgagelake.publish.table.CatalogSnapshot.class,
        dev.mortgagelake.publish.table.ProposedSnapshot.class,
        dev.mortgagelake.publish.table.SnapshotSource.class,
        dev.mortgagelake.publish.table.SnapshotSummary.class,
        dev.mortgagelake.publish.table.TableLocation.class,
        dev.mortgagelake.publish.table.TableOperation.class,
        dev.mortgagelake.publish.table.TableSnapshot.class,
        dev.mortgagelake.retry.BackoffSchedule.class,
        dev.mortgagelake.retry.CondemnationPolicy.Condemnation.class,
        dev.mortgagelake.retry.CondemnationPolicy.Reason.class,
        dev.mortgagelake.retry.LedgerEntry.class,
        dev.mortgagelake.retry.LedgerEntry.Transition.class,
        dev.mortgagelake.retry.LedgerTransition.class,
        dev.mortgagelake.retry.LedgerBatch.class,
        dev.mortgagelake.retry.LedgerState.class,
        dev.mortgagelake.retry.LakeConservation.Report.class,
        dev.mortgagelake.retry.QuarantineLedger.Recorded.class,
        dev.mortgagelake.retry.RetryLifecycle.Handled.class,
        dev.mortgagelake.retry.approval.OperatorRequest.class,
        dev.mortgagelake.retry.approval.OperatorRequests.Approval.class,
        dev.mortgagelake.retry.approval.RequestDecision.class,
        dev.mortgagelake.retry.approval.RequestView.class,
        dev.mortgagelake.retry.audit.AuditEntry.class,
        dev.mortgagelake.retry.audit.AuditTrail.Filter.class,
        dev.mortgagelake.validation.FileRejectionCode.class,
        dev.mortgagelake.validation.FileRejectionRecord.class,
        dev.mortgagelake.validation.ValidationConfig.class,
        dev.mortgagelake.validation.contract.Decimal182.Parsed.class,
        dev.mortgagelake.validation.contract.HeaderMapping.class,
        dev.mortgagelake.validation.contract.RowError.class,
        dev.mortgagelake.validation.contract.RowErrorCode.class,
        dev.mortgagelake.validation.contract.RowVerdict.class,
        dev.mortgagelake.validation.duplicate.DeferredRows.Row.class,
        dev.mortgagelake.validation.duplicate.PublishedRowIndex.StagedShard.class,
        dev.mortgagelake.validation.quarantine.QuarantinedRow.class,
        dev.mortgagelake.validation.quarantine.RetryAttempt.class,
        dev.mortgagelake.validation.quarantine.StagedQuarantine.class,
        dev.mortgagelake.validation.reference.CurrencyAllowListDocument.class,
        dev.mortgagelake.validation.reference.TransactionTypesDocument.class,
        dev.mortgagelake.validation.sample.SampleFileGenerator.InvalidKind.class,
        dev.mortgagelake.validation.sample.SampleFileGenerator.Options.class,
        dev.mortgagelake.validation.sample.SampleFileGenerator.Result.class,
        dev.mortgagelake.validation.silver.StagedPart.class
}, classNames = {
        "dev.mortgagelake.gold.GoldCalculator$AccountKey",
        "dev.mortgagelake.gold.GoldCalculator$Position",
        "dev.mortgagelake.gold.GoldCalculator$TypeKey",
        "dev.mortgagelake.ingest.LandingIngest$Digest",
        "dev.mortgagelake.ingest.LandingIngest$Emitted",
        "dev.mortgagelake.ingest.backfill.Backfill$Emitted",
        "dev.mortgagelake.publish.table.TableCommitter$Attempt",
        "dev.mortgagelake.publish.table.TableCommitter$Resolution",
        "dev.mortgagelake.validation.ReadAheadReader$Chunk",
        "dev.mortgagelake.validation.RetryRows$Failure",
        "dev.mortgagelake.validation.RunCommit$RunInput",
        "dev.mortgagelake.validation.RunSinks$Taken",
        "dev.mortgagelake.validation.RunValidator$BronzeRow",
        "dev.mortgagelake.validation.reference.StoredReference$Loaded",
        "org.apache.parquet.ParquetReadOptions"
})
public final class NativeReflection {

    private NativeReflection() {
    }
}
