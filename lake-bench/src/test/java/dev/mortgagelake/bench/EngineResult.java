package dev.mortgagelake.bench;

/**
 * What one engine made of the benchmark file: rows read, rows written to Silver, rows quarantined,
 * exact duplicates dropped or condemned, Silver partitions, and the run's measurement.
 */
record EngineResult(String engine, long rowsRead, long silver, long quarantined, long duplicates, long partitions,
                    Measurement measurement) {
}
