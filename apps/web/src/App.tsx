import { createBrowserRouter, Navigate } from "react-router";
import { RouterProvider } from "react-router/dom";
import { AppLayout } from "./components/AppLayout.tsx";
import { GuestOnly } from "./components/GuestOnly.tsx";
import { ProtectedRoute } from "./components/ProtectedRoute.tsx";
import { FullPageSpinner } from "./components/Spinner.tsx";
import { adminRoutes } from "./pages/admin/routes.tsx";
import { ChatLayout } from "./pages/chat/ChatLayout.tsx";
import { ConversationPage } from "./pages/chat/ConversationPage.tsx";
import { NewChatPage } from "./pages/chat/NewChatPage.tsx";
import { NotFoundPage } from "./pages/NotFoundPage.tsx";
import { RouteErrorPage } from "./pages/RouteErrorPage.tsx";

// Created once at module scope: a data router must not be rebuilt on re-render.
// The chat screen (the landing page) is in the main bundle; everything else loads on demand.
const router = createBrowserRouter([
  {
    ErrorBoundary: RouteErrorPage,
    HydrateFallback: () => <FullPageSpinner label="Loading Parley…" />,
    children: [
      {
        Component: GuestOnly,
        children: [
          {
            path: "/login",
            lazy: async () => ({ Component: (await import("./pages/LoginPage.tsx")).LoginPage }),
          },
          {
            path: "/register",
            lazy: async () => ({ Component: (await import("./pages/RegisterPage.tsx")).RegisterPage }),
          },
        ],
      },
      {
        // Outside GuestOnly: a reset link works whether or not someone is signed in on this browser.
        path: "/reset-password",
        lazy: async () => ({ Component: (await import("./pages/ResetPasswordPage.tsx")).ResetPasswordPage }),
      },
      {
        Component: ProtectedRoute,
        children: [
          {
            path: "/",
            Component: AppLayout,
            children: [
              { index: true, element: <Navigate to="/chat" replace /> },
              {
                path: "/chat",
                Component: ChatLayout,
                handle: { layout: "full" },
                children: [
                  { index: true, Component: NewChatPage },
                  { path: "/chat/:sessionId", Component: ConversationPage },
                ],
              },
              {
                path: "/profile",
                lazy: async () => ({ Component: (await import("./pages/ProfilePage.tsx")).ProfilePage }),
              },
              ...adminRoutes,
            ],
          },
        ],
      },
      { path: "*", Component: NotFoundPage },
    ],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
