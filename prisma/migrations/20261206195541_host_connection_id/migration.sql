-- AlterTable
ALTER TABLE "hosts" ADD COLUMN     "connection_id" TEXT;
