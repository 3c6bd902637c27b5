-- CreateTable
CREATE TABLE "UnderstandingEvent" (
    "id" SERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "topic" TEXT,
    "journey" TEXT,
    "step" TEXT,
    "text" TEXT,
    "helpful" BOOLEAN,
    "locale" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UnderstandingEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "UnderstandingEvent_createdAt_idx" ON "UnderstandingEvent"("createdAt");
