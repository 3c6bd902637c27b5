-- AlterTable
ALTER TABLE "DirectLineActivity" ADD COLUMN "replyKey" TEXT;

-- AlterTable
ALTER TABLE "AccreditationAccount" ADD COLUMN "requestKey" TEXT;

-- CreateTable
CREATE TABLE "DirectLineInbox" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "conversationId" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "client" TEXT,
    "leaseUntil" DATETIME NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "DirectLineInbox_leaseUntil_idx" ON "DirectLineInbox"("leaseUntil");

-- CreateIndex
CREATE INDEX "DirectLineInbox_conversationId_id_idx" ON "DirectLineInbox"("conversationId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "DirectLineActivity_conversationId_replyKey_key" ON "DirectLineActivity"("conversationId", "replyKey");

-- CreateIndex
CREATE UNIQUE INDEX "AccreditationAccount_requestKey_key" ON "AccreditationAccount"("requestKey");

