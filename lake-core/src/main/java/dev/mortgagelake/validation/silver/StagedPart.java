package dev.mortgagelake.validation.silver;

import java.nio.file.Path;
import java.time.YearMonth;

/**
 * A finished Silver part file in local staging, described well enough to upload it and list it in a
 * manifest.
 *
 * @param month     the business month (partition)
 * @param index     the part number within the partition ({@code part-00000} is 0)
 * @param file      the local file
 * @param rows      rows in the file
 * @param sizeBytes size of the file
 * @param sha256    lower-case hex SHA-256 of the file
 */
public record StagedPart(YearMonth month, int index, Path file, long rows, long sizeBytes, String sha256) {
}
