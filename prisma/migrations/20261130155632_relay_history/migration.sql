-- AlterTable
ALTER TABLE "relay_address" ADD COLUMN     "evidence" TEXT NOT NULL DEFAULT 'snapshot',
ADD COLUMN     "flags" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "nickname" TEXT;

-- AlterTable
ALTER TABLE "hit" ADD COLUMN     "evidence" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "relay_consensus" (
    "valid_after" TIMESTAMPTZ(6) NOT NULL,
    "flavour" TEXT NOT NULL,
    "relays" INTEGER NOT NULL,
    "imported_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "relay_consensus_pkey" PRIMARY KEY ("valid_after")
);

-- CreateTable
CREATE TABLE "relay_archive_month" (
    "kind" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "documents" INTEGER NOT NULL,
    "completed_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "relay_archive_month_pkey" PRIMARY KEY ("kind","month")
);

-- CreateIndex
CREATE INDEX "relay_address_evidence_valid_to_idx" ON "relay_address"("evidence", "valid_to");
