package dev.mortgagelake.publish.table;

import dev.mortgagelake.gold.GoldDataset;

/** The catalog table that follows each lake table: Silver per schema version, and each Gold dataset. */
public interface CatalogTables {

    /** No catalog: every table is followed by {@link CatalogTable#NONE}. */
    CatalogTables NONE = new CatalogTables() {
        @Override
        public CatalogTable silver(String schemaVersion) {
            return CatalogTable.NONE;
        }

        @Override
        public CatalogTable gold(GoldDataset dataset) {
            return CatalogTable.NONE;
        }
    };

    CatalogTable silver(String schemaVersion);

    CatalogTable gold(GoldDataset dataset);
}
