import { type ComponentProps, lazy, type ReactNode, Suspense } from "react";
import { affordableAlternative, answerFloor } from "../../lib/chat/credits.ts";
import type { ChatSetup } from "../../lib/chat/use-chat-config.ts";

// Shown only when something went wrong or credits ran out: loaded when first needed, not up front.
const Notices = {
  OutOfCredits: lazy(async () => ({ default: (await import("./Notices.tsx")).OutOfCredits })),
  TurnErrorNotice: lazy(async () => ({ default: (await import("./Notices.tsx")).TurnErrorNotice })),
};

/** The form that edits a question: loaded when the person first edits one. */
export const LazyEditQuestion = lazy(async () => ({
  default: (await import("./EditQuestion.tsx")).EditQuestion,
}));

export function OutOfCredits(props: ComponentProps<typeof Notices.OutOfCredits>) {
  return (
    <Suspense fallback={null}>
      <Notices.OutOfCredits {...props} />
    </Suspense>
  );
}

export function TurnErrorNotice(props: ComponentProps<typeof Notices.TurnErrorNotice>) {
  return (
    <Suspense fallback={null}>
      <Notices.TurnErrorNotice {...props} />
    </Suspense>
  );
}

/**
 * What the composer shows instead of sending when credits cannot pay for an answer: none left, or
 * less than the least an answer holds with the chosen model (the server would refuse it), with a
 * cheaper model the credits cover, if there is one.
 */
export function creditBlock(
  setup: ChatSetup | undefined,
  modelId: string,
  available: number | undefined,
  chooseModel: (modelId: string) => void,
): ReactNode {
  if (available === undefined || !setup) return undefined;
  const model = setup.models.find((m) => m.id === modelId);
  const tokens = Math.min(setup.minAnswerTokens, model?.maxOutputTokens ?? setup.minAnswerTokens);
  const needed = answerFloor(tokens, setup.prices.get(modelId));
  if (available > 0 && (needed === null || available >= needed)) return undefined;
  const cheaper = affordableAlternative(
    setup.models,
    setup.prices,
    modelId,
    available,
    setup.minAnswerTokens,
  );
  return (
    <OutOfCredits
      available={available}
      needed={needed ?? undefined}
      cheaperModel={cheaper && { name: cheaper.displayName, choose: () => chooseModel(cheaper.id) }}
    />
  );
}
