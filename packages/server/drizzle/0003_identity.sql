CREATE TABLE "identity_challenge" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_code" char(6) NOT NULL,
	"purpose" text NOT NULL,
	"session_hash" text NOT NULL,
	"challenge" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "identity_challenge" ADD CONSTRAINT "identity_challenge_municipality_code_municipality_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipality"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "identity_challenge_expiry_idx" ON "identity_challenge" USING btree ("municipality_code","expires_at");