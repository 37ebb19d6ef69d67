-- AlterTable
ALTER TABLE "hit" ALTER COLUMN "suppression_rule_id" SET DATA TYPE TEXT;

-- CreateIndex
CREATE INDEX "hit_suppression_rule_id_idx" ON "hit"("suppression_rule_id");
