CREATE TABLE "card_binding" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_code" char(6) NOT NULL,
	"card_key" text NOT NULL,
	"resident_id" uuid NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"bound_at" timestamp with time zone DEFAULT now() NOT NULL,
	"suspended_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"replaced_by" uuid
);
--> statement-breakpoint
CREATE TABLE "consent_record" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_code" char(6) NOT NULL,
	"resident_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"services" text[] DEFAULT '{}' NOT NULL,
	"categories" text[] DEFAULT '{}' NOT NULL,
	"recipients" text[] DEFAULT '{}' NOT NULL,
	"terms_version" text NOT NULL,
	"given_at" timestamp with time zone DEFAULT now() NOT NULL,
	"withdrawn_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "resident" ADD COLUMN "resident_number" char(6);--> statement-breakpoint
ALTER TABLE "card_binding" ADD CONSTRAINT "card_binding_municipality_code_municipality_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipality"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "card_binding" ADD CONSTRAINT "card_binding_resident_id_resident_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."resident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_record" ADD CONSTRAINT "consent_record_municipality_code_municipality_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipality"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_record" ADD CONSTRAINT "consent_record_resident_id_resident_id_fk" FOREIGN KEY ("resident_id") REFERENCES "public"."resident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "card_binding_card_uq" ON "card_binding" USING btree ("municipality_code","card_key");--> statement-breakpoint
CREATE UNIQUE INDEX "card_binding_active_uq" ON "card_binding" USING btree ("municipality_code","resident_id") WHERE status = 'active';--> statement-breakpoint
CREATE INDEX "card_binding_resident_idx" ON "card_binding" USING btree ("resident_id");--> statement-breakpoint
CREATE INDEX "consent_record_resident_idx" ON "consent_record" USING btree ("municipality_code","resident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "resident_number_uq" ON "resident" USING btree ("municipality_code","resident_number");