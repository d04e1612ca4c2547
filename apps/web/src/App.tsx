import { createBrowserRouter } from "react-router";
import { RouterProvider } from "react-router/dom";
import { AppLayout } from "./components/AppLayout.tsx";
import { GuestOnly } from "./components/GuestOnly.tsx";
import { ProtectedRoute } from "./components/ProtectedRoute.tsx";
import { HomePage } from "./pages/HomePage.tsx";
import { LoginPage } from "./pages/LoginPage.tsx";
import { NotFoundPage } from "./pages/NotFoundPage.tsx";
import { RegisterPage } from "./pages/RegisterPage.tsx";
import { RouteErrorPage } from "./pages/RouteErrorPage.tsx";

// Created once at module scope: a data router must not be rebuilt on re-render.
const router = createBrowserRouter([
  {
    ErrorBoundary: RouteErrorPage,
    children: [
      {
        Component: GuestOnly,
        children: [
          { path: "/login", Component: LoginPage },
          { path: "/register", Component: RegisterPage },
        ],
      },
      {
        Component: ProtectedRoute,
        children: [{ path: "/", Component: AppLayout, children: [{ index: true, Component: HomePage }] }],
      },
      { path: "*", Component: NotFoundPage },
    ],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
