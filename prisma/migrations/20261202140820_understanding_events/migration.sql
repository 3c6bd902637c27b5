-- CreateTable
CREATE TABLE "UnderstandingEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "kind" TEXT NOT NULL,
    "topic" TEXT,
    "journey" TEXT,
    "step" TEXT,
    "text" TEXT,
    "helpful" BOOLEAN,
    "locale" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "UnderstandingEvent_createdAt_idx" ON "UnderstandingEvent"("createdAt");

