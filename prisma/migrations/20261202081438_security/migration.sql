-- AlterTable
ALTER TABLE "DirectLineConversation" ADD COLUMN "browserHash" TEXT;

-- CreateTable
CREATE TABLE "SignInThrottle" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_AccreditationAccount" (
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
    "firstSignInAt" DATETIME,
    "lastSignInAt" DATETIME,
    "adminFile" TEXT,
    "adminFileSavedAt" DATETIME
);
INSERT INTO "new_AccreditationAccount" ("adminFile", "adminFileSavedAt", "civility", "createdAt", "email", "firstName", "firstSignInAt", "id", "identifier", "identifierKeyOk", "identifierKind", "lastName", "lastSignInAt", "locale", "passwordChangedAt", "passwordHash", "practice", "specialty", "tempPasswordExpiresAt", "tempPasswordHash") SELECT "adminFile", "adminFileSavedAt", "civility", "createdAt", "email", "firstName", "firstSignInAt", "id", "identifier", "identifierKeyOk", "identifierKind", "lastName", "lastSignInAt", "locale", "passwordChangedAt", "passwordHash", "practice", "specialty", "tempPasswordExpiresAt", "tempPasswordHash" FROM "AccreditationAccount";
DROP TABLE "AccreditationAccount";
ALTER TABLE "new_AccreditationAccount" RENAME TO "AccreditationAccount";
CREATE UNIQUE INDEX "AccreditationAccount_identifier_key" ON "AccreditationAccount"("identifier");
CREATE TABLE "new_SecureLink" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "tokenHash" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "conversation" TEXT NOT NULL,
    "conversationKey" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "stage" TEXT NOT NULL DEFAULT 'start',
    "accountId" TEXT,
    "completedAt" DATETIME,
    "consumedAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "codeHash" TEXT,
    "codeTries" INTEGER NOT NULL DEFAULT 0,
    "verifiedAt" DATETIME
);
INSERT INTO "new_SecureLink" ("accountId", "completedAt", "consumedAt", "conversation", "createdAt", "expiresAt", "id", "purpose", "stage", "tokenHash") SELECT "accountId", "completedAt", "consumedAt", "conversation", "createdAt", "expiresAt", "id", "purpose", "stage", "tokenHash" FROM "SecureLink";
DROP TABLE "SecureLink";
ALTER TABLE "new_SecureLink" RENAME TO "SecureLink";
CREATE UNIQUE INDEX "SecureLink_tokenHash_key" ON "SecureLink"("tokenHash");
CREATE INDEX "SecureLink_conversationKey_completedAt_idx" ON "SecureLink"("conversationKey", "completedAt");
CREATE TABLE "new_DeskAccount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "role" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "oaIds" TEXT NOT NULL DEFAULT '[]',
    "passwordHash" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_DeskAccount" ("createdAt", "email", "id", "name", "oaIds", "passwordHash", "role") SELECT "createdAt", "email", "id", "name", "oaIds", "passwordHash", "role" FROM "DeskAccount";
DROP TABLE "DeskAccount";
ALTER TABLE "new_DeskAccount" RENAME TO "DeskAccount";
CREATE UNIQUE INDEX "DeskAccount_email_key" ON "DeskAccount"("email");
CREATE TABLE "new_MedimailAccount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "status" TEXT NOT NULL,
    "lastName" TEXT NOT NULL,
    "firstName" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "profession" TEXT NOT NULL,
    "mssAddress" TEXT NOT NULL,
    "passwordHash" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'fr',
    "details" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "emailConfirmedAt" DATETIME,
    "submittedAt" DATETIME,
    "decidedAt" DATETIME,
    "decidedBy" TEXT,
    "rejectReason" TEXT,
    "cguAcceptedAt" DATETIME,
    "activatedAt" DATETIME,
    "otpHash" TEXT,
    "otpExpiresAt" DATETIME,
    "otpTries" INTEGER NOT NULL DEFAULT 0,
    "conversation" TEXT
);
INSERT INTO "new_MedimailAccount" ("activatedAt", "cguAcceptedAt", "conversation", "createdAt", "decidedAt", "decidedBy", "details", "email", "emailConfirmedAt", "firstName", "id", "lastName", "locale", "mssAddress", "otpExpiresAt", "otpHash", "otpTries", "passwordHash", "profession", "rejectReason", "status", "submittedAt") SELECT "activatedAt", "cguAcceptedAt", "conversation", "createdAt", "decidedAt", "decidedBy", "details", "email", "emailConfirmedAt", "firstName", "id", "lastName", "locale", "mssAddress", "otpExpiresAt", "otpHash", "otpTries", "passwordHash", "profession", "rejectReason", "status", "submittedAt" FROM "MedimailAccount";
DROP TABLE "MedimailAccount";
ALTER TABLE "new_MedimailAccount" RENAME TO "MedimailAccount";
CREATE UNIQUE INDEX "MedimailAccount_email_key" ON "MedimailAccount"("email");
CREATE UNIQUE INDEX "MedimailAccount_mssAddress_key" ON "MedimailAccount"("mssAddress");
CREATE INDEX "MedimailAccount_status_submittedAt_idx" ON "MedimailAccount"("status", "submittedAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

