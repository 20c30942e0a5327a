package dev.mortgagelake.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command line tool run to completion with its output captured. A tool that is not installed is
 * an error, never a skip: CI installs them (.ci/run), so a missing one must fail the build loudly.
 */
record CommandRun(List<String> command, int exitCode, String output) {

    static CommandRun of(Path workDir, String... command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError("'" + command[0] + "' is not installed or not on the PATH (" + e.getMessage() + "). "
                    + "Install it as .ci/run does: apt-get install -y prometheus docker-compose", e);
        }
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
            }
            return new CommandRun(List.of(command), process.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError("Could not read the output of " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while running " + String.join(" ", command), e);
        }
    }

    String describe() {
        return String.join(" ", command) + " exited " + exitCode + ":\n" + output;
    }
}
