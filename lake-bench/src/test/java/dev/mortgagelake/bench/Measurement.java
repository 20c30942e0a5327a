package dev.mortgagelake.bench;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * Wall time, process CPU time and peak Java heap of one in-process run (the JVM's start is not in it).
 * Peak heap is the sum of the heap pools' peaks since the run started: an upper bound of the true peak.
 * CPU time over wall time above 1 means more than one core was busy.
 */
record Measurement(double seconds, double cpuSeconds, long peakHeapBytes) {

    interface Work<T> {
        T run() throws Exception;
    }

    record Measured<T>(T result, Measurement measurement) {
    }

    static <T> Measured<T> of(Work<T> work) throws Exception {
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        System.gc();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long start = System.nanoTime();
        T result = work.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (os.getProcessCpuTime() - cpu) / 1e9;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        return new Measured<>(result, new Measurement(seconds, cpuSeconds, peak));
    }

    double coresBusy() {
        return seconds == 0 ? 0 : cpuSeconds / seconds;
    }
}
