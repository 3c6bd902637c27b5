-- AlterTable
ALTER TABLE "Decision" ADD COLUMN "answers" TEXT;

