import { lazy } from "react";
import { Navigate, Route } from "react-router";

// Every admin screen is its own lazily loaded chunk (charts load later still), so none of it weighs
// on the chat screen. The shell's Suspense shows a spinner while a screen's code loads.
const AdminLayout = lazy(async () => ({ default: (await import("./AdminLayout.tsx")).AdminLayout }));
const UsersPage = lazy(async () => ({ default: (await import("./UsersPage.tsx")).UsersPage }));
const UserDetailPage = lazy(async () => ({ default: (await import("./UserDetailPage.tsx")).UserDetailPage }));
const AccountsPage = lazy(async () => ({ default: (await import("./AccountsPage.tsx")).AccountsPage }));
const UsagePage = lazy(async () => ({ default: (await import("./UsagePage.tsx")).UsagePage }));
const LivePage = lazy(async () => ({ default: (await import("./LivePage.tsx")).LivePage }));
const ModelsPage = lazy(async () => ({ default: (await import("./ModelsPage.tsx")).ModelsPage }));
const FeedbackPage = lazy(async () => ({ default: (await import("./FeedbackPage.tsx")).FeedbackPage }));
const AuditPage = lazy(async () => ({ default: (await import("./AuditPage.tsx")).AuditPage }));

/** The admin screens, placed inside the signed-in shell's routes. */
export const adminRoutes = (
  <Route path="/admin" element={<AdminLayout />}>
    <Route index element={<Navigate to="/admin/users" replace />} />
    <Route path="/admin/users" element={<UsersPage />} />
    <Route path="/admin/users/:userId" element={<UserDetailPage />} />
    <Route path="/admin/accounts" element={<AccountsPage />} />
    <Route path="/admin/usage" element={<UsagePage />} />
    <Route path="/admin/live" element={<LivePage />} />
    <Route path="/admin/models" element={<ModelsPage />} />
    <Route path="/admin/feedback" element={<FeedbackPage />} />
    <Route path="/admin/audit" element={<AuditPage />} />
  </Route>
);
