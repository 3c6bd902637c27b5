-- The helpdesk lines of the home-made recorder give way to the activities botbuilder's
-- TranscriptLoggerMiddleware logs (.transcript format). The old lines are not activities and
-- were kept only TRANSCRIPT_RETENTION_DAYS: they are dropped, not converted.

-- DropTable
PRAGMA foreign_keys=off;
DROP TABLE "TranscriptEntry";
PRAGMA foreign_keys=on;

-- CreateTable
CREATE TABLE "TranscriptActivity" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channelId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "role" TEXT,
    "activity" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "TranscriptActivity_channelId_conversationId_id_idx" ON "TranscriptActivity"("channelId", "conversationId", "id");

-- CreateIndex
CREATE INDEX "TranscriptActivity_channelId_conversationId_role_id_idx" ON "TranscriptActivity"("channelId", "conversationId", "role", "id");

-- CreateIndex
CREATE INDEX "TranscriptActivity_at_idx" ON "TranscriptActivity"("at");

