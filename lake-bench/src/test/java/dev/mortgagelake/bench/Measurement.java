package dev.mortgagelake.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wall time, process CPU time and heap of one in-process run (the JVM's start is not in it).
 *
 * <ul>
 *   <li>{@code peakHeapBytes}: the most heap in use at any sampled instant (every 5 ms, and right
 *       before each collection), garbage included; it can never exceed {@code -Xmx}.</li>
 *   <li>{@code peakLiveHeapBytes}: the most heap still in use right after a collection: what the run
 *       really needs.</li>
 *   <li>{@code cpuSeconds / seconds} above 1 means more than one core was busy.</li>
 * </ul>
 */
record Measurement(double seconds, double cpuSeconds, long peakHeapBytes, long peakLiveHeapBytes) {

    interface Work<T> {
        T run() throws Exception;
    }

    record Measured<T>(T result, Measurement measurement) {
    }

    static <T> Measured<T> of(Work<T> work) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        AtomicLong peak = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
        AtomicLong peakLive = new AtomicLong(peak.get());
        NotificationListener afterGc = (notification, handback) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                peak.accumulateAndGet(heapUsed(info.getGcInfo().getMemoryUsageBeforeGc()), Math::max);
                peakLive.accumulateAndGet(heapUsed(info.getGcInfo().getMemoryUsageAfterGc()), Math::max);
            }
        };
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener(afterGc, null, null);
        }
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long start = System.nanoTime();
        sampler.start();
        try {
            T result = work.run();
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (os.getProcessCpuTime() - cpu) / 1e9;
            return new Measured<>(result, new Measurement(seconds, cpuSeconds, peak.get(), peakLive.get()));
        } finally {
            sampler.interrupt();
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).removeNotificationListener(afterGc);
            }
        }
    }

    private static final java.util.Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
            .map(java.lang.management.MemoryPoolMXBean::getName)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** Heap pools only: non-heap pools (metaspace, code cache) are not part of -Xmx. */
    private static long heapUsed(java.util.Map<String, MemoryUsage> usageByPool) {
        return usageByPool.entrySet().stream().filter(e -> HEAP_POOLS.contains(e.getKey()))
                .mapToLong(e -> e.getValue().getUsed()).sum();
    }

    double coresBusy() {
        return seconds == 0 ? 0 : cpuSeconds / seconds;
    }
}
