import { type ComponentProps, lazy, Suspense } from "react";

// Chat settings and presets arrive in their own chunk, requested when a chat screen renders: the
// chat screen's first load (its size budget) carries none of their code, only these wrappers.
const Lazy = {
  ChatSettingsButton: lazy(async () => ({
    default: (await import("./ChatSettingsDialog.tsx")).ChatSettingsButton,
  })),
  PresetChooser: lazy(async () => ({ default: (await import("./PresetChooser.tsx")).PresetChooser })),
};

/** The chat header's settings button (and its dialog), shown once its chunk has arrived. */
export function ChatSettingsButton(props: ComponentProps<typeof Lazy.ChatSettingsButton>) {
  return (
    <Suspense fallback={null}>
      <Lazy.ChatSettingsButton {...props} />
    </Suspense>
  );
}

export function PresetChooser(props: ComponentProps<typeof Lazy.PresetChooser>) {
  return (
    <Suspense fallback={null}>
      <Lazy.PresetChooser {...props} />
    </Suspense>
  );
}
