-- AlterTable
ALTER TABLE "OutboxMail" ADD COLUMN "attachments" TEXT;
ALTER TABLE "OutboxMail" ADD COLUMN "replyTo" TEXT;

-- CreateTable
CREATE TABLE "TranscriptEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "conversation" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "SupportTicket" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "conversation" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "oaId" TEXT,
    "recipient" TEXT,
    "journey" TEXT,
    "step" TEXT,
    "errors" TEXT NOT NULL DEFAULT '[]',
    "description" TEXT NOT NULL,
    "contactEmail" TEXT NOT NULL,
    "identity" TEXT NOT NULL DEFAULT '{}',
    "transcript" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "TranscriptEntry_conversation_id_idx" ON "TranscriptEntry"("conversation", "id");

-- CreateIndex
CREATE INDEX "TranscriptEntry_at_idx" ON "TranscriptEntry"("at");

-- CreateIndex
CREATE INDEX "SupportTicket_conversation_createdAt_idx" ON "SupportTicket"("conversation", "createdAt");
