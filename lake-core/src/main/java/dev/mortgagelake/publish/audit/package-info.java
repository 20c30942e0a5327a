/**
 * The audit gate: quality checks a run must pass, besides its integrity checks, before it is
 * promoted; a run that fails them is held until an operator approves or rejects it.
 */
package dev.mortgagelake.publish.audit;
