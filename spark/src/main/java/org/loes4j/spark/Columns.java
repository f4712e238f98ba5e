package org.loes4j.spark;

import java.util.Arrays;

import org.apache.spark.sql.types.StructType;

/** Column look-ups with messages that name the column, its role and the columns the table has. */
final class Columns {
    private Columns() {
    }

    /**
     * The index of column {@code name} in {@code schema}.
     *
     * @throws IllegalArgumentException naming the role, the column and the columns there are
     */
    static int index(StructType schema, String name, String role) {
        String[] names = schema.fieldNames();
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(role + " '" + name + "' not found; the table has the columns "
                + Arrays.toString(names));
    }
}
