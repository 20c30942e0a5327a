package dev.mortgagelake.layout;

import java.util.List;
import java.util.Objects;

/**
 * The bucket of each layer. Buckets may all be the same (one bucket, prefixes per layer, as in the
 * local stack) or one per layer (production, as the seed design has it); keys never change.
 */
public record LakeBuckets(String landing, String bronze, String silver, String gold, String quarantine) {

    public LakeBuckets {
        Objects.requireNonNull(landing, "landing");
        Objects.requireNonNull(bronze, "bronze");
        Objects.requireNonNull(silver, "silver");
        Objects.requireNonNull(gold, "gold");
        Objects.requireNonNull(quarantine, "quarantine");
    }

    /** Every distinct bucket, in layer order. */
    public List<String> distinct() {
        return List.of(landing, bronze, silver, gold, quarantine).stream().distinct().toList();
    }
}
