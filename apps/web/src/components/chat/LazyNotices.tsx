import { type ComponentProps, lazy, Suspense } from "react";

// Shown only when something went wrong or credits ran out: loaded when first needed, not up front.
const Notices = {
  OutOfCredits: lazy(async () => ({ default: (await import("./Notices.tsx")).OutOfCredits })),
  TurnErrorNotice: lazy(async () => ({ default: (await import("./Notices.tsx")).TurnErrorNotice })),
};

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
