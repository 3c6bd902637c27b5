-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ServiceCentreRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "type" TEXT NOT NULL,
    "accountId" TEXT,
    "detail" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reference" TEXT,
    "status" TEXT NOT NULL DEFAULT 'RECEIVED',
    "requesterEmail" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'fr',
    "doneAt" DATETIME,
    "doneBy" TEXT
);
INSERT INTO "new_ServiceCentreRequest" ("accountId", "createdAt", "detail", "id", "type") SELECT "accountId", "createdAt", "detail", "id", "type" FROM "ServiceCentreRequest";
DROP TABLE "ServiceCentreRequest";
ALTER TABLE "new_ServiceCentreRequest" RENAME TO "ServiceCentreRequest";
CREATE UNIQUE INDEX "ServiceCentreRequest_reference_key" ON "ServiceCentreRequest"("reference");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

