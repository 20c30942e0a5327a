package dev.mortgagelake.storage;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParallelRequestsTest {

    @Test
    void resultsComeInTheOrderOfTheInputsWhateverOrderTheRequestsFinishIn() {
        List<Integer> inputs = IntStream.range(0, 40).boxed().toList();

        List<Integer> results = ParallelRequests.map(inputs, i -> {
            sleep((40 - i) % 7);
            return i * 10;
        });

        assertThat(results).isEqualTo(inputs.stream().map(i -> i * 10).toList());
    }

    @Test
    void requestsRunConcurrently() throws Exception {
        // every task waits until 4 tasks are running at once: only concurrent execution gets past the latch
        CountDownLatch allStarted = new CountDownLatch(4);
        List<Runnable> tasks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            tasks.add(() -> {
                allStarted.countDown();
                try {
                    assertThat(allStarted.await(10, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        ParallelRequests.runAll(tasks);

        assertThat(allStarted.getCount()).isZero();
    }

    @Test
    void aFailureIsThrownOnlyAfterEveryRequestFinished() {
        AtomicInteger finished = new AtomicInteger();
        StorageException first = new StorageException("first", false);
        List<Runnable> tasks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            tasks.add(() -> {
                if (n == 2) {
                    throw first;
                }
                if (n == 7) {
                    throw new IllegalStateException("second");
                }
                sleep(20);
                finished.incrementAndGet();
            });
        }

        assertThatThrownBy(() -> ParallelRequests.runAll(tasks)).isSameAs(first)
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage).containsExactly("second"));
        assertThat(finished).hasValue(8);
    }

    @Test
    void nestedCallsRunInlineInsteadOfWaitingForThePoolTheyOccupy() {
        Set<String> innerThreads = ConcurrentHashMap.newKeySet();
        List<Integer> outer = IntStream.range(0, ParallelRequests.THREADS * 2).boxed().toList();

        List<Integer> sums = ParallelRequests.map(outer, i -> ParallelRequests.map(List.of(1, 2, 3), j -> {
            innerThreads.add(Thread.currentThread().getName());
            return i + j;
        }).stream().mapToInt(Integer::intValue).sum());

        assertThat(sums).isEqualTo(outer.stream().map(i -> 3 * i + 6).toList());
        assertThat(innerThreads).allMatch(name -> name.startsWith("lake-store-request-"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
