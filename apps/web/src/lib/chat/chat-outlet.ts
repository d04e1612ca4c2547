import { useOutletContext } from "react-router";

/** What the chat layout gives the chat pages below it. */
export interface ChatOutletContext {
  /** Opens the chat list (a drawer at phone width). */
  openSidebar: () => void;
  /** The id of the chat list, for aria-controls on the button that opens it. */
  sidebarId: string;
  sidebarOpen: boolean;
}

export function useChatOutlet(): ChatOutletContext {
  return useOutletContext<ChatOutletContext>();
}
