package dev.mortgagelake.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Independent object-store requests (uploads of a run's data files, reads of index objects) issued
 * concurrently instead of one round trip after another: on S3 a request costs tens of milliseconds of
 * waiting and almost no CPU, so a run that writes 70 objects spent most of its time waiting in turn.
 *
 * <p>The requests run on a small shared pool of daemon threads ({@value #THREADS}); the caller
 * waits for all of them. Only leaf requests may run here: a task must not itself wait for tasks of
 * this pool (it could wait for a thread it holds). Tasks of one call are independent: none may rely
 * on another having run; anything that must follow them (a manifest after its data files, a marker
 * after its manifest) is issued after the call returns.
 */
public final class ParallelRequests {

    /** Requests in flight at once, across the process (S3 serves thousands per prefix per second). */
    public static final int THREADS = 16;

    private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread thread = new Thread(r, "lake-store-request-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    });

    private ParallelRequests() {
    }

    /**
     * Runs every task, concurrently, and returns when all have finished. If any failed, the first
     * failure (in task order) is thrown once all have finished, so no request is still running when
     * the caller handles it; the others' failures are attached as suppressed.
     */
    public static void runAll(List<? extends Runnable> tasks) {
        map(tasks, task -> {
            task.run();
            return null;
        });
    }

    /** {@link #runAll} for tasks with results: the results in the order of {@code inputs}. */
    public static <I, O> List<O> map(List<? extends I> inputs, Function<? super I, ? extends O> task) {
        if (inputs.size() <= 1 || Thread.currentThread().getName().startsWith("lake-store-request-")) {
            List<O> results = new ArrayList<>(inputs.size());
            for (I input : inputs) {
                results.add(task.apply(input));
            }
            return results;
        }
        List<Future<? extends O>> futures = new ArrayList<>(inputs.size());
        for (I input : inputs) {
            futures.add(POOL.submit(() -> task.apply(input)));
        }
        List<O> results = new ArrayList<>(inputs.size());
        RuntimeException first = null;
        boolean interrupted = false;
        for (Future<? extends O> future : futures) {
            O result = null;
            while (true) {
                try {
                    result = future.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // finish waiting: no request may outlive the call
                } catch (ExecutionException | CancellationException e) {
                    RuntimeException failure = asRuntime(e instanceof ExecutionException ? e.getCause() : e);
                    if (first == null) {
                        first = failure;
                    } else if (first != failure) {
                        first.addSuppressed(failure);
                    }
                    break;
                }
            }
            results.add(result);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (first != null) {
            throw first;
        }
        return results;
    }

    private static RuntimeException asRuntime(Throwable t) {
        if (t instanceof RuntimeException runtime) {
            return runtime;
        }
        if (t instanceof Error error) {
            throw error;
        }
        return new StorageException("Request failed: " + t, false, t);
    }
}
