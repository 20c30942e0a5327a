package dev.mortgagelake.gold.parquet;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;

import java.math.BigInteger;

/** DECIMAL(18,s) columns stored as Parquet {@code fixed_len_byte_array(8)}: big-endian two's complement of the unscaled value. */
final class Decimal18 {

    private Decimal18() {
    }

    /** The column value of an unscaled {@code value} for a fixed(8) decimal schema. */
    static GenericData.Fixed encode(Schema fixedSchema, long value) {
        byte[] bytes = new byte[8];
        long v = value;
        for (int i = 7; i >= 0; i--) {
            bytes[i] = (byte) v;
            v >>= 8;
        }
        return new GenericData.Fixed(fixedSchema, bytes);
    }

    /** The unscaled value of a decimal column value. */
    static long decode(Object value) {
        byte[] bytes = ((GenericFixed) value).bytes();
        if (bytes.length == 8) {
            long v = 0;
            for (byte b : bytes) {
                v = (v << 8) | (b & 0xFF);
            }
            return v;
        }
        return new BigInteger(bytes).longValueExact();
    }

    /** The unscaled value of an exact decimal of {@code scale}. */
    static long unscaled(java.math.BigDecimal value, int scale) {
        return value.setScale(scale).unscaledValue().longValueExact();
    }
}
