package dev.mortgagelake.service.retry;

import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.retry.BackoffSchedule;
import dev.mortgagelake.retry.LakeConservation;
import dev.mortgagelake.retry.QuarantineLedger;
import dev.mortgagelake.retry.QuarantinedRows;
import dev.mortgagelake.retry.RetryLifecycle;
import dev.mortgagelake.retry.approval.OperatorRequests;
import dev.mortgagelake.retry.audit.AuditTrail;
import dev.mortgagelake.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;

/** The retry domain wired to the lake's object store and configuration. */
@ApplicationScoped
public class RetryBeans {

    @Produces
    @Singleton
    QuarantineLedger ledger(ObjectStore store, LakeLayout layout, RetryConfig config) {
        return new QuarantineLedger(store, layout, new BackoffSchedule(config.backoff()));
    }

    @Produces
    @Singleton
    AuditTrail auditTrail(ObjectStore store, LakeLayout layout) {
        return new AuditTrail(store, layout);
    }

    @Produces
    @Singleton
    RetryLifecycle lifecycle(QuarantineLedger ledger, AuditTrail audit, Clock clock) {
        return new RetryLifecycle(ledger, audit, clock);
    }

    @Produces
    @Singleton
    OperatorRequests operatorRequests(ObjectStore store, LakeLayout layout, QuarantineLedger ledger, AuditTrail audit, Clock clock) {
        return new OperatorRequests(store, layout, ledger, audit, clock);
    }

    @Produces
    @Singleton
    LakeConservation conservation(ObjectStore store, LakeLayout layout, QuarantineLedger ledger) {
        return new LakeConservation(store, layout, ledger);
    }

    @Produces
    @Singleton
    QuarantinedRows quarantinedRows(ObjectStore store, RetryConfig config) {
        try {
            return new QuarantinedRows(store, Files.createDirectories(config.workDir()));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the retry work directory " + config.workDir(), e);
        }
    }
}
