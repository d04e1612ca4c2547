import { Navigate, type RouteObject } from "react-router";
import { Spinner } from "../../components/Spinner.tsx";

/** Shown inside the app layout while an admin screen's code loads on a first visit. */
function AdminRouteFallback() {
  return (
    <div role="status" className="grid place-items-center py-24 text-fg-muted">
      <Spinner className="size-7 text-brand-text" />
      <span className="mt-3 text-sm">Loading…</span>
    </div>
  );
}

/**
 * The admin screens, to spread into the protected layout's children. Every screen is its own
 * lazily loaded chunk (charts load later still), so none of it weighs on the chat screen.
 */
export const adminRoutes: RouteObject[] = [
  {
    path: "/admin",
    // Tables and charts get the shell's wider column (see lib/route-layout.ts).
    handle: { layout: "wide" },
    HydrateFallback: AdminRouteFallback,
    lazy: async () => ({ Component: (await import("./AdminLayout.tsx")).AdminLayout }),
    children: [
      { index: true, element: <Navigate to="/admin/users" replace /> },
      {
        path: "/admin/users",
        lazy: async () => ({ Component: (await import("./UsersPage.tsx")).UsersPage }),
      },
      {
        path: "/admin/users/:userId",
        lazy: async () => ({ Component: (await import("./UserDetailPage.tsx")).UserDetailPage }),
      },
      {
        path: "/admin/accounts",
        lazy: async () => ({ Component: (await import("./AccountsPage.tsx")).AccountsPage }),
      },
      {
        path: "/admin/usage",
        lazy: async () => ({ Component: (await import("./UsagePage.tsx")).UsagePage }),
      },
      {
        path: "/admin/live",
        lazy: async () => ({ Component: (await import("./LivePage.tsx")).LivePage }),
      },
      {
        path: "/admin/models",
        lazy: async () => ({ Component: (await import("./ModelsPage.tsx")).ModelsPage }),
      },
      {
        path: "/admin/audit",
        lazy: async () => ({ Component: (await import("./AuditPage.tsx")).AuditPage }),
      },
    ],
  },
];
