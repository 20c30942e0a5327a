package dev.mortgagelake.service.retry;

import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.retry.BackoffSchedule;
import dev.mortgagelake.retry.QuarantineLedger;
import dev.mortgagelake.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The retry domain wired to the lake's object store and configuration. */
@ApplicationScoped
public class RetryBeans {

    @Produces
    @Singleton
    QuarantineLedger ledger(ObjectStore store, LakeLayout layout, RetryConfig config) {
        return new QuarantineLedger(store, layout, new BackoffSchedule(config.backoff()));
    }
}
