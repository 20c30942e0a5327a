/**
 * Control documents shared by the services that write a run and those that check and promote it:
 * {@link dev.mortgagelake.manifest.PartitionManifest} ({@code manifest.json} of a Silver partition).
 */
package dev.mortgagelake.manifest;
