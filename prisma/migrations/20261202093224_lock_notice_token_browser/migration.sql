-- AlterTable
ALTER TABLE "DirectLineToken" ADD COLUMN "browserHash" TEXT;

-- AlterTable
ALTER TABLE "SignInThrottle" ADD COLUMN "notifiedAt" DATETIME;

