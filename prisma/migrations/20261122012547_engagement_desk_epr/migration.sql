-- CreateTable
CREATE TABLE "Engagement" (
    "accountId" TEXT NOT NULL PRIMARY KEY,
    "oaId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'DRAFT',
    "questionnaire" TEXT NOT NULL,
    "answers" TEXT NOT NULL DEFAULT '{}',
    "section" INTEGER NOT NULL DEFAULT 0,
    "sentAt" DATETIME,
    "decidedAt" DATETIME,
    "expertComment" TEXT,
    "commentSection" TEXT,
    "attestationAt" DATETIME,
    "attestationPosted" DATETIME,
    CONSTRAINT "Engagement_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "AccreditationAccount" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Decision" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "accountId" TEXT NOT NULL,
    "expertId" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "reason" TEXT,
    "section" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Decision_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Engagement" ("accountId") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DeskAccount" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "role" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "oaIds" TEXT NOT NULL DEFAULT '[]',
    "passwordHash" TEXT,
    "failedSignIns" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Epr" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "accountId" TEXT NOT NULL,
    "oaId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'DRAFT',
    "answers" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME
);

-- CreateTable
CREATE TABLE "ConversationLink" (
    "accountId" TEXT NOT NULL,
    "conversation" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("accountId", "conversation")
);

-- CreateIndex
CREATE INDEX "Engagement_oaId_status_sentAt_idx" ON "Engagement"("oaId", "status", "sentAt");

-- CreateIndex
CREATE UNIQUE INDEX "DeskAccount_email_key" ON "DeskAccount"("email");

-- CreateIndex
CREATE INDEX "Epr_oaId_status_idx" ON "Epr"("oaId", "status");

-- CreateIndex
CREATE INDEX "Epr_accountId_idx" ON "Epr"("accountId");

