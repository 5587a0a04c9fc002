CREATE TABLE "disaster" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_code" char(6) NOT NULL,
	"kind" text NOT NULL,
	"name_ja" text NOT NULL,
	"name_en" text DEFAULT '' NOT NULL,
	"area" text DEFAULT '' NOT NULL,
	"declared_at" timestamp with time zone DEFAULT now() NOT NULL,
	"declared_by" text NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "evacuee" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_code" char(6) NOT NULL,
	"household_id" uuid NOT NULL,
	"resident_id" uuid,
	"is_resident" boolean DEFAULT false NOT NULL,
	"source" text NOT NULL,
	"card_key" text,
	"intake_code" text,
	"needs" text[] DEFAULT '{}' NOT NULL,
	"language" text,
	"sex" text,
	"consent_inquiry" boolean DEFAULT false NOT NULL,
	"consent_joint_use" boolean DEFAULT false NOT NULL,
	"dv_protected" boolean DEFAULT false NOT NULL,
	"search_keys" text[] DEFAULT '{}' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "shelter" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_code" char(6) NOT NULL,
	"local_id" text NOT NULL,
	"national_id" char(14),
	"name_ja" text NOT NULL,
	"name_kana" text DEFAULT '' NOT NULL,
	"name_en" text DEFAULT '' NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"latitude" numeric,
	"longitude" numeric,
	"elevation" numeric,
	"phone" text DEFAULT '' NOT NULL,
	"hazards" text[] DEFAULT '{}' NOT NULL,
	"also_evacuation_centre" boolean DEFAULT false NOT NULL,
	"kind" text DEFAULT 'general' NOT NULL,
	"capacity" integer,
	"capacity_night" integer,
	"target_area" text DEFAULT '' NOT NULL,
	"url" text DEFAULT '' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'closed' NOT NULL,
	"disaster_id" uuid,
	"status_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shelter_status_event" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"municipality_code" char(6) NOT NULL,
	"shelter_id" uuid NOT NULL,
	"disaster_id" uuid,
	"status" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shelter_stay" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_code" char(6) NOT NULL,
	"evacuee_municipality_code" char(6) NOT NULL,
	"evacuee_id" uuid NOT NULL,
	"household_id" uuid NOT NULL,
	"disaster_id" uuid,
	"place" text DEFAULT 'shelter' NOT NULL,
	"shelter_id" uuid,
	"status" text DEFAULT 'in' NOT NULL,
	"channel" text NOT NULL,
	"needs" text[] DEFAULT '{}' NOT NULL,
	"sex" text,
	"language" text,
	"idempotency_key" text NOT NULL,
	"request_key" text,
	"checked_in_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"created_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stay_movement" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"municipality_code" char(6) NOT NULL,
	"evacuee_municipality_code" char(6) NOT NULL,
	"stay_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"shelter_id" uuid,
	"to_shelter_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"idempotency_key" text
);
--> statement-breakpoint
CREATE TABLE "supply_request" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"municipality_code" char(6) NOT NULL,
	"shelter_id" uuid NOT NULL,
	"disaster_id" uuid,
	"item_code" text NOT NULL,
	"needed" integer NOT NULL,
	"in_stock" integer DEFAULT 0 NOT NULL,
	"stock_status" text NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"idempotency_key" text NOT NULL,
	"requested_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ordered_at" timestamp with time zone,
	"shipped_at" timestamp with time zone,
	"received_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "disaster" ADD CONSTRAINT "disaster_municipality_code_municipality_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipality"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evacuee" ADD CONSTRAINT "evacuee_municipality_code_municipality_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipality"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shelter" ADD CONSTRAINT "shelter_municipality_code_municipality_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipality"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shelter_status_event" ADD CONSTRAINT "shelter_status_event_municipality_code_municipality_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipality"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shelter_status_event" ADD CONSTRAINT "shelter_status_event_shelter_id_shelter_id_fk" FOREIGN KEY ("shelter_id") REFERENCES "public"."shelter"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shelter_stay" ADD CONSTRAINT "shelter_stay_evacuee_id_evacuee_id_fk" FOREIGN KEY ("evacuee_id") REFERENCES "public"."evacuee"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stay_movement" ADD CONSTRAINT "stay_movement_stay_id_shelter_stay_id_fk" FOREIGN KEY ("stay_id") REFERENCES "public"."shelter_stay"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supply_request" ADD CONSTRAINT "supply_request_municipality_code_municipality_code_fk" FOREIGN KEY ("municipality_code") REFERENCES "public"."municipality"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "supply_request" ADD CONSTRAINT "supply_request_shelter_id_shelter_id_fk" FOREIGN KEY ("shelter_id") REFERENCES "public"."shelter"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "disaster_active_idx" ON "disaster" USING btree ("municipality_code") WHERE ended_at IS NULL;--> statement-breakpoint
CREATE INDEX "evacuee_household_idx" ON "evacuee" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "evacuee_resident_idx" ON "evacuee" USING btree ("municipality_code","resident_id");--> statement-breakpoint
CREATE UNIQUE INDEX "evacuee_card_uq" ON "evacuee" USING btree ("municipality_code","card_key");--> statement-breakpoint
CREATE UNIQUE INDEX "evacuee_intake_uq" ON "evacuee" USING btree ("municipality_code","intake_code");--> statement-breakpoint
CREATE INDEX "evacuee_search_idx" ON "evacuee" USING gin ("search_keys");--> statement-breakpoint
CREATE UNIQUE INDEX "shelter_local_id_uq" ON "shelter" USING btree ("municipality_code","local_id");--> statement-breakpoint
CREATE UNIQUE INDEX "shelter_national_id_uq" ON "shelter" USING btree ("national_id");--> statement-breakpoint
CREATE INDEX "shelter_status_idx" ON "shelter" USING btree ("municipality_code","status");--> statement-breakpoint
CREATE INDEX "shelter_status_event_idx" ON "shelter_status_event" USING btree ("shelter_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "shelter_stay_idempotency_uq" ON "shelter_stay" USING btree ("municipality_code","idempotency_key");--> statement-breakpoint
CREATE INDEX "shelter_stay_request_idx" ON "shelter_stay" USING btree ("municipality_code","request_key");--> statement-breakpoint
CREATE UNIQUE INDEX "shelter_stay_live_uq" ON "shelter_stay" USING btree ("evacuee_id") WHERE status IN ('in', 'out');--> statement-breakpoint
CREATE INDEX "shelter_stay_shelter_idx" ON "shelter_stay" USING btree ("shelter_id") WHERE status IN ('in', 'out');--> statement-breakpoint
CREATE INDEX "shelter_stay_home_idx" ON "shelter_stay" USING btree ("evacuee_municipality_code") WHERE status IN ('in', 'out');--> statement-breakpoint
CREATE INDEX "shelter_stay_place_idx" ON "shelter_stay" USING btree ("municipality_code","place") WHERE status IN ('in', 'out');--> statement-breakpoint
CREATE INDEX "stay_movement_stay_idx" ON "stay_movement" USING btree ("stay_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "stay_movement_idempotency_uq" ON "stay_movement" USING btree ("municipality_code","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "supply_request_idempotency_uq" ON "supply_request" USING btree ("municipality_code","idempotency_key");--> statement-breakpoint
CREATE INDEX "supply_request_shelter_idx" ON "supply_request" USING btree ("shelter_id","created_at");