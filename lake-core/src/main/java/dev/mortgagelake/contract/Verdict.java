package dev.mortgagelake.contract;

/** Whether a contract change can stay within its {@code schema_v}. */
public enum Verdict {
    /** Old files, old readers and old writers keep working: the change may be a new minor version. */
    SAFE,
    /** Some old file, reader or writer would be wrong: the change needs a new {@code schema_v}. */
    BREAKING
}
