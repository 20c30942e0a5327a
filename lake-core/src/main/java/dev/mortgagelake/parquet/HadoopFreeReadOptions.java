package dev.mortgagelake.parquet;

import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.crypto.FileDecryptionProperties;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.ParquetMetricsCallback;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link ParquetReadOptions} built without loading a Hadoop class. In parquet 1.18.1 every public
 * way to build read options ({@code ParquetReadOptions.builder(..)}) creates Hadoop's codec factory
 * and record-filter lookup in the builder's constructor, which fails without Hadoop on the
 * classpath even when a codec factory is supplied afterwards. The options' own constructor is
 * package-private and Hadoop-free, so it is called through a private method-handle lookup (the
 * lake runs on the class path, where parquet and this class share the unnamed module).
 *
 * <p>The values are parquet's defaults, except: the codec factory is {@link SnappyCodecFactory},
 * no record filter, and no Hadoop vectored I/O. Exercised by every lake-core test that reads Parquet,
 * which run with Hadoop excluded from the test class path; if a parquet upgrade changes the constructor, class
 * initialisation fails loudly.
 */
final class HadoopFreeReadOptions {

    private static final int MAX_ALLOCATION_BYTES = 8 * 1024 * 1024;

    private static final MethodHandle CONSTRUCTOR = constructor();

    private HadoopFreeReadOptions() {
    }

    static ParquetReadOptions of(ParquetConfiguration conf) {
        Map<String, String> properties = new HashMap<>();
        try {
            return (ParquetReadOptions) CONSTRUCTOR.invoke(
                    false,  // useSignedStringMinMax
                    true,   // useStatsFilter
                    true,   // useDictionaryFilter
                    true,   // useRecordFilter
                    true,   // useColumnIndexFilter
                    false,  // usePageChecksumVerification
                    true,   // useBloomFilter
                    false,  // useOffHeapDecryptBuffer
                    false,  // useHadoopVectoredIo
                    FilterCompat.NOOP,
                    ParquetMetadataConverter.NO_FILTER,
                    (CompressionCodecFactory) SnappyCodecFactory.instance(),
                    (ByteBufferAllocator) new HeapByteBufferAllocator(),
                    MAX_ALLOCATION_BYTES,
                    properties,
                    (FileDecryptionProperties) null,
                    (ParquetMetricsCallback) null,
                    conf);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Cannot create Parquet read options", e);
        }
    }

    private static MethodHandle constructor() {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(ParquetReadOptions.class, MethodHandles.lookup());
            return lookup.findConstructor(ParquetReadOptions.class, MethodType.methodType(void.class,
                    boolean.class, boolean.class, boolean.class, boolean.class, boolean.class, boolean.class, boolean.class,
                    boolean.class, boolean.class, FilterCompat.Filter.class, ParquetMetadataConverter.MetadataFilter.class,
                    CompressionCodecFactory.class, ByteBufferAllocator.class, int.class, Map.class,
                    FileDecryptionProperties.class, ParquetMetricsCallback.class, ParquetConfiguration.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("parquet's ParquetReadOptions constructor is not the one of 1.18.1: " + e);
        }
    }
}
