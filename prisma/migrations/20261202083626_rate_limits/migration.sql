-- AlterTable
ALTER TABLE "SupportTicket" ADD COLUMN "client" TEXT;

-- CreateTable
CREATE TABLE "RateLimiterFlexible" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "points" INTEGER NOT NULL,
    "expire" DATETIME
);

-- CreateIndex
CREATE INDEX "RateLimiterFlexible_expire_idx" ON "RateLimiterFlexible"("expire");

-- CreateIndex
CREATE INDEX "SupportTicket_client_createdAt_idx" ON "SupportTicket"("client", "createdAt");

