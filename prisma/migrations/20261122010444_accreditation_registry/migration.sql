-- CreateTable
CREATE TABLE "AccreditationAccount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "identifier" TEXT NOT NULL,
    "identifierKind" TEXT NOT NULL,
    "identifierKeyOk" BOOLEAN NOT NULL,
    "civility" TEXT NOT NULL,
    "lastName" TEXT NOT NULL,
    "firstName" TEXT NOT NULL,
    "specialty" TEXT NOT NULL,
    "practice" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'fr',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "tempPasswordHash" TEXT,
    "tempPasswordExpiresAt" DATETIME,
    "passwordHash" TEXT,
    "passwordChangedAt" DATETIME,
    "failedSignIns" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" DATETIME,
    "firstSignInAt" DATETIME,
    "lastSignInAt" DATETIME,
    "adminFile" TEXT,
    "adminFileSavedAt" DATETIME
);

-- CreateTable
CREATE TABLE "AccreditationEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "accountId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "detail" TEXT,
    CONSTRAINT "AccreditationEvent_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "AccreditationAccount" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SecureLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "conversation" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "stage" TEXT NOT NULL DEFAULT 'start',
    "accountId" TEXT,
    "completedAt" DATETIME,
    "consumedAt" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "AccreditationAccount_identifier_key" ON "AccreditationAccount"("identifier");

-- CreateIndex
CREATE INDEX "AccreditationEvent_accountId_type_at_idx" ON "AccreditationEvent"("accountId", "type", "at");

-- CreateIndex
CREATE UNIQUE INDEX "SecureLink_tokenHash_key" ON "SecureLink"("tokenHash");

