import { lazy, Suspense } from "react";
import { ErrorBoundary } from "react-error-boundary";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { AppLayout } from "./components/AppLayout.tsx";
import { GuestOnly } from "./components/GuestOnly.tsx";
import { ProtectedRoute } from "./components/ProtectedRoute.tsx";
import { FullPageSpinner } from "./components/ui/Spinner.tsx";
import { adminRoutes } from "./pages/admin/routes.tsx";
import { ChatLayout } from "./pages/chat/ChatLayout.tsx";
import { ConversationPage } from "./pages/chat/ConversationPage.tsx";
import { NewChatPage } from "./pages/chat/NewChatPage.tsx";

// The chat screen (the landing page) is in the main bundle; everything else loads on demand.
// Declarative routes (not a data router): the chat screen needs no loaders, actions or fetchers,
// and leaving the data router out keeps ~18 KB gzip off its first load.
const LoginPage = lazy(async () => ({ default: (await import("./pages/LoginPage.tsx")).LoginPage }));
const RegisterPage = lazy(async () => ({ default: (await import("./pages/RegisterPage.tsx")).RegisterPage }));
const ResetPasswordPage = lazy(async () => ({
  default: (await import("./pages/ResetPasswordPage.tsx")).ResetPasswordPage,
}));
const ProfilePage = lazy(async () => ({ default: (await import("./pages/ProfilePage.tsx")).ProfilePage }));
// Only ever shown after a render error: loaded then.
const RouteErrorPage = lazy(async () => ({
  default: (await import("./pages/RouteErrorPage.tsx")).RouteErrorPage,
}));
const NotFoundPage = lazy(async () => ({ default: (await import("./pages/NotFoundPage.tsx")).NotFoundPage }));
const SharedChatPage = lazy(async () => ({
  default: (await import("./pages/shared/SharedChatPage.tsx")).SharedChatPage,
}));

export function App() {
  return (
    <BrowserRouter>
      <ErrorBoundary
        fallback={
          <Suspense fallback={null}>
            <RouteErrorPage />
          </Suspense>
        }
      >
        <Suspense fallback={<FullPageSpinner label="Loading Parley…" />}>
          <Routes>
            <Route element={<GuestOnly />}>
              <Route path="/login" element={<LoginPage />} />
              <Route path="/register" element={<RegisterPage />} />
            </Route>
            {/* Outside GuestOnly: a reset link works whether or not someone is signed in here. */}
            <Route path="/reset-password" element={<ResetPasswordPage />} />
            {/* Anyone with a share link, signed in or not: outside both GuestOnly and ProtectedRoute. */}
            <Route path="/shared/:shareId" element={<SharedChatPage />} />
            <Route element={<ProtectedRoute />}>
              <Route path="/" element={<AppLayout />}>
                <Route index element={<Navigate to="/chat" replace />} />
                <Route path="/chat" element={<ChatLayout />}>
                  <Route index element={<NewChatPage />} />
                  <Route path="/chat/:sessionId" element={<ConversationPage />} />
                </Route>
                <Route path="/profile" element={<ProfilePage />} />
                {adminRoutes}
              </Route>
            </Route>
            <Route path="*" element={<NotFoundPage />} />
          </Routes>
        </Suspense>
      </ErrorBoundary>
    </BrowserRouter>
  );
}
