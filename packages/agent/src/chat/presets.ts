import { DomainError } from "@parley/core";
import { ChatPreset, type EntityManager } from "@parley/db";
import { type ChatSettings, checkChatSettings, storedTemperature } from "./chat-settings.ts";

/** Chat settings saved under a name, to start or set up a chat with. */
export interface PresetView extends ChatSettings {
  id: string;
  name: string;
  /** Null: the preset keeps the chat's model. */
  modelId: string | null;
  published: boolean;
  /** The caller's own preset (theirs to edit). */
  mine: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface PresetInput {
  name?: string | undefined;
  systemPrompt?: string | null | undefined;
  temperature?: number | null | undefined;
  maxTokens?: number | null | undefined;
  modelId?: string | null | undefined;
  published?: boolean | undefined;
}

/** Who acts: admins alone publish, and may also change or remove a published preset of anyone. */
export interface PresetActor {
  userId: string;
  isAdmin: boolean;
  /** The largest maximum output of the offered models (maxTokens is checked against it). */
  maxAnswerTokens: number;
}

/** Presets one user may keep: enough for real use, bounded against abuse. */
export const MAX_PRESETS_PER_USER = 100;

function toView(preset: ChatPreset, userId: string): PresetView {
  return {
    id: preset.id,
    name: preset.name,
    systemPrompt: preset.systemPrompt || null,
    temperature: preset.temperature ?? null,
    maxTokens: preset.maxTokens ?? null,
    modelId: preset.modelId ?? null,
    published: preset.published,
    mine: preset.user.id === userId,
    createdAt: preset.createdAt,
    updatedAt: preset.updatedAt,
  };
}

function checkPreset(input: PresetInput, actor: PresetActor): void {
  if (input.published && !actor.isAdmin) {
    throw new DomainError("FORBIDDEN", "Only an admin may publish a preset to everyone.", {
      field: "published",
    });
  }
  checkChatSettings(input, actor.maxAnswerTokens);
}

/** The caller's presets and the published ones, the caller's first, each group by name. */
export async function listPresets(em: EntityManager, userId: string): Promise<PresetView[]> {
  const rows = await em.find(
    ChatPreset,
    { $or: [{ user: userId }, { published: true }] },
    { orderBy: { name: "asc", id: "asc" } },
  );
  const views = rows.map((row) => toView(row, userId));
  return [...views.filter((v) => v.mine), ...views.filter((v) => !v.mine)];
}

export async function createPreset(
  em: EntityManager,
  actor: PresetActor,
  input: PresetInput & { name: string },
): Promise<PresetView> {
  checkPreset(input, actor);
  const count = await em.count(ChatPreset, { user: actor.userId });
  if (count >= MAX_PRESETS_PER_USER) {
    throw new DomainError("BAD_REQUEST", `You can keep at most ${MAX_PRESETS_PER_USER} presets.`, {
      field: "name",
      max: MAX_PRESETS_PER_USER,
    });
  }
  const preset = em.create(ChatPreset, {
    user: actor.userId,
    name: input.name.trim(),
    systemPrompt: input.systemPrompt?.trim() ?? "",
    temperature: storedTemperature(input.temperature ?? null),
    maxTokens: input.maxTokens ?? null,
    modelId: input.modelId ?? null,
    published: input.published ?? false,
  });
  await em.flush();
  return toView(preset, actor.userId);
}

/** The preset the actor may change: their own, or (an admin) a published one; else NOT_FOUND. */
async function editablePreset(em: EntityManager, actor: PresetActor, presetId: string): Promise<ChatPreset> {
  const preset = await em.findOne(ChatPreset, { id: presetId });
  if (!preset || !(preset.user.id === actor.userId || (actor.isAdmin && preset.published))) {
    throw new DomainError("NOT_FOUND", "Preset not found.");
  }
  return preset;
}

export async function updatePreset(
  em: EntityManager,
  actor: PresetActor,
  presetId: string,
  input: PresetInput,
): Promise<PresetView> {
  checkPreset(input, actor);
  const preset = await editablePreset(em, actor, presetId);
  if (input.name !== undefined) preset.name = input.name.trim();
  if (input.systemPrompt !== undefined) preset.systemPrompt = input.systemPrompt?.trim() ?? "";
  if (input.temperature !== undefined) preset.temperature = storedTemperature(input.temperature);
  if (input.maxTokens !== undefined) preset.maxTokens = input.maxTokens;
  if (input.modelId !== undefined) preset.modelId = input.modelId;
  if (input.published !== undefined) preset.published = input.published;
  preset.updatedAt = new Date();
  await em.flush();
  return toView(preset, actor.userId);
}

export async function deletePreset(
  em: EntityManager,
  actor: PresetActor,
  presetId: string,
): Promise<{ id: string }> {
  const preset = await editablePreset(em, actor, presetId);
  await em.remove(preset).flush();
  return { id: presetId };
}
