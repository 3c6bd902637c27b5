-- AlterTable
ALTER TABLE "OutboxMail" ADD COLUMN "from" TEXT;

-- CreateTable
CREATE TABLE "MedimailAccount" (
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
    "failedSignIns" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" DATETIME,
    "otpHash" TEXT,
    "otpExpiresAt" DATETIME,
    "otpTries" INTEGER NOT NULL DEFAULT 0,
    "conversation" TEXT
);

-- CreateTable
CREATE TABLE "ServiceCentreRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "type" TEXT NOT NULL,
    "accountId" TEXT,
    "detail" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "MedimailAccount_email_key" ON "MedimailAccount"("email");

-- CreateIndex
CREATE UNIQUE INDEX "MedimailAccount_mssAddress_key" ON "MedimailAccount"("mssAddress");

-- CreateIndex
CREATE INDEX "MedimailAccount_status_submittedAt_idx" ON "MedimailAccount"("status", "submittedAt");

