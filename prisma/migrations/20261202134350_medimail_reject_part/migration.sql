-- AlterTable
ALTER TABLE "MedimailAccount" ADD COLUMN "rejectPart" TEXT;

