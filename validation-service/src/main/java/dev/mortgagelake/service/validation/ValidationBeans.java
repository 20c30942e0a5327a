package dev.mortgagelake.service.validation;

import dev.mortgagelake.layout.LakeLayout;
import dev.mortgagelake.quarkus.ChannelEventSink;
import dev.mortgagelake.storage.ObjectStore;
import dev.mortgagelake.validation.RunValidator;
import dev.mortgagelake.validation.ValidationConfig;
import dev.mortgagelake.validation.reference.CurrencyReference;
import dev.mortgagelake.validation.reference.TransactionTypeReference;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;

/** The validation domain wired to the lake's object store, configuration and outgoing channels. */
@ApplicationScoped
public class ValidationBeans {

    @Produces
    @Singleton
    RunValidator runValidator(ObjectStore store, LakeLayout layout, Clock clock, ValidationServiceConfig config,
                              CurrencyReference currencies, TransactionTypeReference transactionTypes) {
        ValidationConfig validation = ValidationConfig.DEFAULT
                .withMaxRecordChars(config.maxRecordChars())
                .withMaxRowChars(config.maxRowChars())
                .withMaxFutureSkew(config.maxFutureSkew())
                .withMaxRowsPerPart(config.maxRowsPerPart())
                .withDecompressionLimits(config.maxDecompressedBytes(), config.maxCompressionRatio())
                .withMaxSeenIdFilterBytes(config.maxSeenIdFilterBytes());
        return new RunValidator(store, layout, clock, currencies::forRun, transactionTypes::forRun, freshWorkDir(config.workDir()),
                validation);
    }

    /** The quality team's currency allow-list in the lake, re-read at the start of a run when its ETag changed. */
    @Produces
    @Singleton
    CurrencyReference currencyReference(ObjectStore store, LakeLayout layout) {
        return new CurrencyReference(store, layout);
    }

    /**
     * The quality team's transaction-type enumeration in the lake (contract v1.1 {@code TransactionType}),
     * re-read at the start of a run when its ETag changed; missing and never loaded: no run is validated.
     */
    @Produces
    @Singleton
    TransactionTypeReference transactionTypeReference(ObjectStore store, LakeLayout layout) {
        return new TransactionTypeReference(store, layout);
    }

    /** run-validated goes to both of its consumers' queues. */
    @Produces
    @Singleton
    ChannelEventSink runValidatedSink(@Channel(ValidationChannels.RUN_VALIDATED_TO_PUBLISH) MutinyEmitter<String> toPublish,
                                      @Channel(ValidationChannels.RUN_VALIDATED_TO_RETRY) MutinyEmitter<String> toRetry) {
        return ChannelEventSink.to(toPublish, toRetry);
    }

    /** Staging left by a killed process is garbage: its run is redone from Bronze on redelivery. */
    private static Path freshWorkDir(Path workDir) {
        try {
            if (Files.exists(workDir)) {
                try (Stream<Path> leftovers = Files.walk(workDir)) {
                    for (Path path : leftovers.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(workDir)).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
            }
            return Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the validation work directory " + workDir, e);
        }
    }
}
