-- AlterTable
ALTER TABLE "relay_address" ADD COLUMN     "matched_from" TIMESTAMPTZ(6),
ADD COLUMN     "matched_to" TIMESTAMPTZ(6);
